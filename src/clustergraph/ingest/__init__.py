"""From an article to reviewable facts: read it, link what it mentions, propose what the graph lacks.

`document` reads a page or a text file, `language` tells its language, `text` splits it into
lemmatised tokens and sentences, `linker` finds the graph's entities in it, `proposer` turns the
rest into proposals, `store` writes the article and its proposals, `review` accepts or rejects them.
"""
