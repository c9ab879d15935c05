package vbgc

// WorkersService covers Workers (/api/v1/workers): worker labels, project, configurations and profiles.
type WorkersService struct{ service }
