package vbgc

// SQLInstancesService covers SQL Instances (/api/v1/sqlInstances): Cloud SQL instances, their restore points, sessions, snapshots and databases.
type SQLInstancesService struct{ service }
