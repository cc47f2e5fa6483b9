// What list queries filter and sort on.
CREATE INDEX entity_country IF NOT EXISTS FOR (n:Entity) ON (n.country);
CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name);
CREATE INDEX event_start IF NOT EXISTS FOR (n:Event) ON (n.startDate);
CREATE INDEX metacluster_status IF NOT EXISTS FOR (n:MetaCluster) ON (n.status);
CREATE INDEX partner_role IF NOT EXISTS FOR ()-[r:PARTNER_IN]-() ON (r.role);
