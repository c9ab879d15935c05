// Package pager turns paged list operations into iter.Seq2 iterators. An
// iterator fetches one page at a time, only as far as the loop goes, yields
// an error once and stops, and guards against servers that would page
// forever. It uses no goroutines.
//
// The All methods of the product clients are built on it, so most code only
// ranges over what they return:
//
//	for org, err := range c.Organizations.All(ctx, nil) {
//		if err != nil {
//			return err // the iterator stops after yielding an error
//		}
//		fmt.Println(org.Name)
//	}
//
// Breaking out of the loop stops the fetching; no page beyond the one in use
// is requested. Offset serves APIs paged by offset and limit (Veeam Backup for
// AWS, Veeam Backup for Google Cloud): it stops at an empty page, at the total
// the server reports, or after a short page when there is no total. Cursor
// serves APIs that hand back a continuation token (IBM Cloud Backup and
// Recovery search) and yields ErrRepeatedCursor when a server returns a
// cursor it gave before.
//
// To page an operation the facades do not cover, wrap one call in an
// OffsetFetch or CursorFetch:
//
//	seq := pager.Offset(ctx, 0, 100, func(ctx context.Context, offset, limit int) (pager.OffsetPage[Item], error) {
//		page, err := listItems(ctx, offset, limit)
//		if err != nil {
//			return pager.OffsetPage[Item]{}, err
//		}
//		return pager.OffsetPage[Item]{Items: page.Items, Total: page.Total, HasTotal: true}, nil
//	})
package pager
