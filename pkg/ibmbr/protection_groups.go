package ibmbr

// ProtectionGroupsService covers Protection Groups and Protection Group Runs (/data-protect/protection-groups).
type ProtectionGroupsService struct{ service }
