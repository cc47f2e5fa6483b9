"""Cue words, as folded lemmas, in the languages covered: which kind a name is, which relationship a
sentence states. Polish and English are the fullest; German and Czech have the commonest words."""

from __future__ import annotations

from dataclasses import dataclass

from clustergraph.model import Kind


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A capitalised name containing one of these is of that kind: "Agencja Rozwoju …", "… Cluster".
KIND_CUES: dict[Kind, frozenset[str]] = {
    Kind.CLUSTER: _words("klaster cluster klastr cluster-initiative"),
    Kind.ORGANISATION: _words(
        "agencja agency stowarzyszenie association fundacja foundation izba chamber uniwersytet university "
        "politechnika instytut institute institut corporation korporacja spolka company gmbh agentur "
        "verband hochschule universitat agentura sdruzeni univerzita komora zwiazek centrum"
    ),
    Kind.EVENT: _words(
        "konferencja conference forum targi fair warsztaty workshop seminarium seminar szczyt summit "
        "konferenz messe tagung konference veletrh"
    ),
    Kind.PROJECT: _words("projekt project"),
}
# Words before a person's name: "Pan Marcin Filip", "Dr Jane Doe".
PERSON_CUES = _words("pan pani panem pania dr mr mrs ms herr frau pani pan prof")
# Articles that open a capitalised run without being part of the name ("Das Projekt", "The Agency").
ARTICLES = _words("the a an das der die den dem des ein eine le la les il lo gli")
# Lower-case words that may stand inside a name: "Agencja Rozwoju Regionalnego z Usti".
CONNECTORS = _words("i z w we of and for the de la der die des und fur nad pod na a s o")


@dataclass(frozen=True)
class RelCue:
    words: frozenset[str]
    # With an anchor, that end takes only the nearest other end the cue connects it to
    # ("A reprezentowany przez P oraz B reprezentowany przez Q": P represents A, not B).
    nearest: str | None = None


REL_CUES: dict[str, RelCue] = {
    "REPRESENTS": RelCue(
        _words(
            "reprezentowac reprezentant przedstawiciel represent representative vertreten vertreter zastupovat"
        ),
        nearest="from",
    ),
    "ORGANISED": RelCue(
        _words(
            "zorganizowac organizowac organizator organise organize organiser organizer organised organized "
            "organisieren veranstalten veranstalter organizovat poradat"
        )
    ),
    "PARTNER_IN": RelCue(
        _words("partner lider lead leader wdrazac realizowac koordynator coordinator leadpartner"),
        nearest="to",
    ),
    "ENGAGES": RelCue(_words("zaangazowac angazowac engage engaged involve einbinden zapojit")),
    "PARTICIPATES_IN": RelCue(
        _words("udzial uczestniczyc wsparcie participate participates support teilnehmen ucast")
    ),
    "PARTICIPATED_IN": RelCue(
        _words("udzial uczestniczyc participate participated attend attended teilnehmen ucast")
    ),
    "EVENT_OF": RelCue(_words("projekt project ramach realizacja podsumowanie projektu")),
    "FORMED_IN": RelCue(
        _words(
            "utworzyc utworzenie zawiazac zawiazanie form formed establish established grunden zalozit vytvorit"
        )
    ),
    "PRESENTED": RelCue(
        _words("prezentacja prezentowac present presented presentation prasentation prezentace")
    ),
    "IN_SECTOR": RelCue(_words("sektor sector branza branche odvetvi dziedzina")),
    "TARGETS_SECTOR": RelCue(_words("sektor sector branza industry przemysl branche")),
    "MEMBER_OF": RelCue(_words("czlonek member mitglied clen zrzeszony")),
    "CONTACT_FOR": RelCue(_words("kontakt contact ansprechpartner"), nearest="from"),
    "FUNDED_BY": RelCue(_words("finansowac fundusz funded fund gefordert financovat")),
    "LOCATED_IN": RelCue(_words("siedziba based located seat sitz sidlo"), nearest="from"),
    "HELD_IN": RelCue(_words("odbyc held place stattfinden konat"), nearest="from"),
}
# Words that make a PARTNER_IN the lead partner's.
LEAD_WORDS = _words("lider lead leader leadpartner")
