package ibmbr

// SearchService covers Search (/data-protect/search): objects, protected objects and indexed objects, with paginationCookie iterators.
type SearchService struct{ service }
