// Package to converts between values and pointers, for the optional members
// of the generated models in gen/: an optional scalar or object is a pointer
// there, nil when the member is absent. (Optional arrays and maps are plain
// slices and maps and need no help.)
//
// Ptr takes the address of a value, literals included, where Go's & cannot:
//
//	spec := vbawsapi.AmazonOrganizationSpec{
//		Name:        "prod",
//		Description: to.Ptr("production accounts"),
//	}
//
// Value reads an optional member without a nil check; an absent member reads
// as the zero value:
//
//	fmt.Println(to.Value(org.Description)) // "" when the server sent none
//
// Where the difference between "absent" and "zero" matters, compare the
// pointer with nil instead.
package to

// Ptr returns a pointer to a new variable holding v.
func Ptr[T any](v T) *T {
	return &v
}

// Value returns the value p points to, or the zero value of T when p is nil.
func Value[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
