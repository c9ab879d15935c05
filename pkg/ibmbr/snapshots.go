package ibmbr

// SnapshotsService covers Snapshots (/data-protect/objects/{id}/snapshots, /data-protect/snapshots): snapshots, restore points and streamed file downloads.
type SnapshotsService struct{ service }
