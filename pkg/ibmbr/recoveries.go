package ibmbr

// RecoveriesService covers Recoveries (/data-protect/recoveries), including the streamed download of recovered files.
type RecoveriesService struct{ service }
