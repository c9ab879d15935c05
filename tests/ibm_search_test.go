package tests

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/backupsdk/backupsdk/gen/ibmbrapi"
	"github.com/backupsdk/backupsdk/pkg/apierr"
	"github.com/backupsdk/backupsdk/pkg/fake/ibmfake"
	"github.com/backupsdk/backupsdk/pkg/ibmbr"
	"github.com/backupsdk/backupsdk/pkg/to"
)

func TestIBMSearchObjectsPagesByCookie(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()

	// One page at a time: 10 by default, the cookie leads to the next.
	first, err := c.Search.Objects(ctx, nil)
	require.NoError(t, err)
	require.Len(t, first.Objects, 10)
	require.NotNil(t, first.PaginationCookie)
	second, err := c.Search.Objects(ctx, &ibmbr.SearchObjectsOptions{PaginationCookie: *first.PaginationCookie})
	require.NoError(t, err)
	assert.Equal(t, "object-11", *second.Objects[0].Name)

	// All walks every page, count objects a page.
	before := srv.Calls()["searchObjects"]
	var names []string
	for o, err := range c.Search.AllObjects(ctx, &ibmbr.SearchObjectsOptions{Count: 7}) {
		require.NoError(t, err)
		names = append(names, *o.Name)
	}
	require.Len(t, names, ibmfake.SearchCatalogSize)
	for i, n := range names {
		assert.Equal(t, fmt.Sprintf("object-%02d", i+1), n)
	}
	assert.Equal(t, 4, srv.Calls()["searchObjects"]-before, "25 objects, 7 a page")

	// Breaking the loop stops fetching.
	before = srv.Calls()["searchObjects"]
	seen := 0
	for _, err := range c.Search.AllObjects(ctx, nil) {
		require.NoError(t, err)
		seen++
		if seen == 12 {
			break
		}
	}
	assert.Equal(t, 2, srv.Calls()["searchObjects"]-before, "12 objects need two pages of 10")

	// Filters apply across pages.
	var found []string
	for o, err := range c.Search.AllObjects(ctx, &ibmbr.SearchObjectsOptions{SearchString: "object-1", Count: 3}) {
		require.NoError(t, err)
		found = append(found, *o.Name)
	}
	assert.Len(t, found, 10, "object-10 .. object-19")

	// A cookie the service never gave is refused.
	_, err = c.Search.Objects(ctx, &ibmbr.SearchObjectsOptions{PaginationCookie: "bogus"})
	require.ErrorIs(t, err, apierr.ErrBadRequest)
	for _, err := range c.Search.AllObjects(ctx, &ibmbr.SearchObjectsOptions{PaginationCookie: "bogus"}) {
		require.ErrorIs(t, err, apierr.ErrBadRequest)
	}
	before = srv.Calls()["searchObjects"]
	_, err = c.Search.Objects(ctx, &ibmbr.SearchObjectsOptions{Count: -1})
	require.Error(t, err, "a negative page size fails before sending")
	assert.Equal(t, before, srv.Calls()["searchObjects"])
}

func TestIBMSearchIndexedObjectsPagesByCookie(t *testing.T) {
	srv, c := startIBM(t)
	ctx := context.Background()
	files := ibmbrapi.SearchIndexedObjectsRequest{ObjectType: ibmbrapi.SearchIndexedObjectsRequestObjectTypeFiles}

	page, err := c.Search.IndexedObjects(ctx, files)
	require.NoError(t, err)
	require.Len(t, page.Files, 10)
	assert.Equal(t, ibmbrapi.SearchIndexedObjectsResponseObjectTypeFiles, *page.ObjectType)
	require.NotNil(t, page.PaginationCookie)

	before := srv.Calls()["searchIndexedObjects"]
	var paths []string
	req := files
	req.Count = to.Ptr[int64](6)
	for f, err := range c.Search.AllIndexedFiles(ctx, req) {
		require.NoError(t, err)
		paths = append(paths, *f.Path)
	}
	require.Len(t, paths, ibmfake.SearchCatalogSize)
	assert.Equal(t, "/data/file-01.txt", paths[0])
	assert.Equal(t, "/data/file-25.txt", paths[24])
	assert.Equal(t, 5, srv.Calls()["searchIndexedObjects"]-before, "25 files, 6 a page")

	before = srv.Calls()["searchIndexedObjects"]
	pages, total := 0, 0
	for p, err := range c.Search.AllIndexedObjects(ctx, files) {
		require.NoError(t, err)
		pages++
		total += len(p.Files)
	}
	assert.Equal(t, 3, pages)
	assert.Equal(t, ibmfake.SearchCatalogSize, total)
	assert.Equal(t, 3, srv.Calls()["searchIndexedObjects"]-before)

	before = srv.Calls()["searchIndexedObjects"]
	for _, err := range c.Search.AllIndexedFiles(ctx, files) {
		require.NoError(t, err)
		break
	}
	assert.Equal(t, 1, srv.Calls()["searchIndexedObjects"]-before, "breaking the loop stops fetching")

	emails, err := c.Search.IndexedObjects(ctx, ibmbrapi.SearchIndexedObjectsRequest{ObjectType: ibmbrapi.SearchIndexedObjectsRequestObjectTypeEmails})
	require.NoError(t, err)
	assert.Nil(t, emails.PaginationCookie)
	_, err = c.Search.IndexedObjects(ctx, ibmbrapi.SearchIndexedObjectsRequest{})
	require.Error(t, err, "no object type fails before sending")
	_, err = c.Search.IndexedObjects(ibmbr.ContextWithTenant(ctx, "tenant-zzz/"), files)
	require.ErrorIs(t, err, apierr.ErrForbidden)
}

func TestIBMSearchProtectedObjects(t *testing.T) {
	_, c := startIBM(t)
	ctx := context.Background()

	none, err := c.Search.ProtectedObjects(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, none.Objects, "no group protects anything yet")

	// The group's host is protected, with the snapshot of the group's run.
	g, run := ibmSnapshotRun(t, ctx, c)
	res, err := c.Search.ProtectedObjects(ctx, &ibmbr.SearchProtectedObjectsOptions{SearchString: "fs01*"})
	require.NoError(t, err)
	require.Len(t, res.Objects, 1)
	o := res.Objects[0]
	assert.EqualValues(t, 31, *o.ID)
	assert.Equal(t, "fs01.example.com", *o.Name)
	assert.Equal(t, ibmbrapi.ProtectedObjectProtectionTypeKFile, *o.ProtectionType)
	require.Len(t, o.LatestSnapshotsInfo, 1)
	assert.Equal(t, *run.ID, *o.LatestSnapshotsInfo[0].ProtectionRunID)
	assert.Equal(t, *g.ID, *o.LatestSnapshotsInfo[0].ProtectionGroupID)
	require.NotNil(t, res.Metadata)
	assert.Equal(t, *g.Name, *res.Metadata.UniqueProtectionGroupIdentifiers[0].ProtectionGroupName)
	assert.EqualValues(t, 1, *res.NumResults)

	// A second group protects the same host: one object, a snapshot of each
	// group that has run.
	policy, err := c.Policies.Create(ctx, ibmPolicyRequest(t, "Silver"))
	require.NoError(t, err)
	second, err := c.ProtectionGroups.Create(ctx, ibmGroupRequest(t, "second-copy", *policy.ID))
	require.NoError(t, err)
	n := 0
	for o, err := range c.Search.AllProtectedObjects(ctx, nil) {
		require.NoError(t, err)
		assert.Len(t, o.LatestSnapshotsInfo, 1, "the second group has not run")
		n++
	}
	assert.Equal(t, 1, n)
	res, err = c.Search.ProtectedObjects(ctx, &ibmbr.SearchProtectedObjectsOptions{SearchString: "second"})
	require.NoError(t, err)
	require.Len(t, res.Objects, 1, "the search string matches group names too")
	assert.Empty(t, res.Objects[0].LatestSnapshotsInfo)
	assert.Equal(t, *second.ID, *res.Metadata.UniqueProtectionGroupIdentifiers[0].ProtectionGroupID)

	for _, opts := range []*ibmbr.SearchProtectedObjectsOptions{
		{SearchString: "db*"},
		{ObjectIDs: []int64{32}},
		{Environments: []ibmbrapi.SearchProtectedObjectsParamsEnvironments{ibmbrapi.SearchProtectedObjectsParamsEnvironmentsKSQL}},
	} {
		res, err := c.Search.ProtectedObjects(ctx, opts)
		require.NoError(t, err)
		assert.Empty(t, res.Objects, "%+v", opts)
	}
	other, err := c.Search.ProtectedObjects(ibmbr.ContextWithTenant(ctx, "tenant-b/"), nil)
	require.NoError(t, err)
	assert.Empty(t, other.Objects, "another tenant's groups")
}
