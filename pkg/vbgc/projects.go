package vbgc

// ProjectsService covers Projects (/api/v1/projects): projects, their regions, zones, machine types, encryption keys, service accounts and HMAC keys.
type ProjectsService struct{ service }
