package ibmbr

// PoliciesService covers Policies (/data-protect/policies): protection policies.
type PoliciesService struct{ service }
