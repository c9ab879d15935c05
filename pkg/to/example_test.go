package to_test

import (
	"fmt"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// Ptr fills the optional members of a request, Value reads those of an
// answer without nil checks.
func Example() {
	spec := vbawsapi.AmazonOrganizationSpec{
		Name:        "prod",
		Description: to.Ptr("production accounts"),
		ScopeType:   vbawsapi.AmazonOrganizationScopeTypeFull,
	}
	fmt.Println(spec.Name, "-", to.Value(spec.Description))

	var org vbawsapi.AmazonOrganization // as decoded from an answer without these members
	fmt.Printf("description %q, worker role %q, rescan role set: %v\n",
		to.Value(org.Description), to.Value(org.ProductionWorkerIAMRoleName), org.RescanIAMRole != nil)
	// Output:
	// prod - production accounts
	// description "", worker role "", rescan role set: false
}

func ExamplePtr() {
	limit := to.Ptr[int32](50) // Go has no &50
	fmt.Println(*limit)
	// Output: 50
}

func ExampleValue() {
	var absent *string
	fmt.Printf("%q %q\n", to.Value(absent), to.Value(to.Ptr("vault")))
	// Output: "" "vault"
}
