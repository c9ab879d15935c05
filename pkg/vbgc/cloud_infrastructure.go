package vbgc

// CloudInfrastructureService covers Cloud Infrastructure (/api/v1/cloudInfrastructure): the folders and projects of the Google Cloud resource hierarchy and the service account permissions on them.
type CloudInfrastructureService struct{ service }
