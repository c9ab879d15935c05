package vbawsfake

import (
	"crypto/sha256"
	"fmt"
	"math/big"

	"github.com/backupsdk/backupsdk/gen/vbawsapi"
	"github.com/backupsdk/backupsdk/pkg/to"
)

// What the IAM roles and repositories show beyond their own members: the
// access key of a role added with access keys, and the IAM role a
// repository uses.

// accessKeysRole is what a role added with access keys (the Create a new
// IAM Role mode) shows: the AWS account of the key, the partition, and the
// access key ID. The secret key is used once and kept nowhere, as the
// appliance does; nothing of it reaches an answer, an error or a log.
func accessKeysRole(k vbawsapi.AmazonAccountAccessKeysCreateSpec) (awsID string, region *vbawsapi.RegionTypes, keys *vbawsapi.AmazonAccountAccessKeys) {
	// The account is derived from the access key ID (not the secret), so
	// the same key always lands in the same account.
	sum := sha256.Sum256([]byte(k.AccessKey))
	n := new(big.Int).Mod(new(big.Int).SetBytes(sum[:8]), big.NewInt(1e12))
	awsID = fmt.Sprintf("%012d", n)
	return awsID, to.Ptr(k.DefaultRegionType), &vbawsapi.AmazonAccountAccessKeys{AccessKey: k.AccessKey, DefaultRegion: to.Ptr(k.DefaultRegionType)}
}

func countTrue(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// repoView is a repository as the appliance shows it: with the name of and
// a link to its IAM role (_embedded). The caller holds f.mu.
func (f *Fake) repoView(x vbawsapi.Repository) vbawsapi.Repository {
	x.Embedded = nil
	if a, ok := f.infra.roles.get(x.AmazonAccountID); ok {
		x.Embedded = &vbawsapi.RepositoryEmbedded{AmazonAccount: to.Ptr(a.Name),
			AmazonAccountLink: &vbawsapi.Link{Rel: "amazonAccount", Href: "/api/v1/accounts/amazon/" + a.ID.String(), Method: vbawsapi.LinkMethodGET}}
	}
	return x
}
