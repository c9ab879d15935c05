package vbgc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"net/http"
	"strconv"

	"github.com/backupsdk/backupsdk/gen/vbgcapi"
	"github.com/backupsdk/backupsdk/pkg/pager"
)

// Operator is a filter operator of the Veeam Backup for Google Cloud API.
type Operator string

// Filter operators, as documented.
const (
	OpEquals             Operator = "equals"
	OpNotEquals          Operator = "notEquals"
	OpContains           Operator = "contains"
	OpLike               Operator = "like"
	OpIn                 Operator = "in"
	OpGreaterThan        Operator = "greaterThan"
	OpGreaterThanOrEqual Operator = "greaterThanOrEqual"
	OpLessThan           Operator = "lessThan"
	OpLessThanOrEqual    Operator = "lessThanOrEqual"
	OpExclusiveOr        Operator = "exclusiveOr"
	OpAnd                Operator = "and"
	OpAndAlso            Operator = "andAlso"
	OpOr                 Operator = "or"
	OpOrElse             Operator = "orElse"
)

// Condition is one filter condition.
type Condition struct {
	Property   string
	Operator   Operator
	Value      string
	IgnoreCase bool
}

// Order sorts by one property.
type Order struct {
	Property   string
	Descending bool
}

// ListOptions filter, sort and page a list. The zero value lists everything
// in the server's order.
type ListOptions struct {
	Filter  []Condition
	OrderBy []Order
	// Offset skips the first N items.
	Offset int
	// Limit is the page size; 0 lets the server choose (100) for a single
	// page and means DefaultPageSize for All.
	Limit int
}

// DefaultPageSize is the page size All uses when none is given.
const DefaultPageSize = 100

// query is the wire form of ListOptions. Its fields are those, in order,
// of every generated list Params struct (filter, orderby, offset, limit,
// x-api-version), so a query converts to any of them:
// vbgcapi.VMPoliciesGetAllParams(q).
type query struct {
	Filter      *vbgcapi.Filter
	Orderby     *vbgcapi.OrderBy
	Offset      *vbgcapi.Offset
	Limit       *vbgcapi.Limit
	XAPIVersion vbgcapi.APIVersion
}

type wireCondition struct {
	Property   string `json:"property"`
	Operator   string `json:"operator"`
	IgnoreCase string `json:"ignorecase"`
	Value      string `json:"value"`
}

type wireOrder struct {
	Property  string `json:"property"`
	Direction string `json:"direction"`
}

func (o *ListOptions) encode(version string) (query, error) {
	q := query{XAPIVersion: version}
	if o == nil {
		return q, nil
	}
	if o.Offset < 0 || o.Limit < 0 {
		return q, errors.New("vbgc: Offset and Limit must not be negative")
	}
	if o.Offset > math.MaxInt32 || o.Limit > math.MaxInt32 {
		return q, errors.New("vbgc: Offset and Limit must not exceed 2147483647")
	}
	if len(o.Filter) > 0 {
		conds := make([]wireCondition, len(o.Filter))
		for i, c := range o.Filter {
			if c.Property == "" || c.Operator == "" {
				return q, fmt.Errorf("vbgc: filter condition %d needs a property and an operator", i)
			}
			conds[i] = wireCondition{c.Property, string(c.Operator), strconv.FormatBool(c.IgnoreCase), c.Value}
		}
		b, err := json.Marshal(conds)
		if err != nil {
			return q, err
		}
		s := string(b)
		q.Filter = &s
	}
	if len(o.OrderBy) > 0 {
		ords := make([]wireOrder, len(o.OrderBy))
		for i, ob := range o.OrderBy {
			if ob.Property == "" {
				return q, fmt.Errorf("vbgc: order %d needs a property", i)
			}
			dir := "ASC"
			if ob.Descending {
				dir = "DESC"
			}
			ords[i] = wireOrder{ob.Property, dir}
		}
		b, err := json.Marshal(ords)
		if err != nil {
			return q, err
		}
		s := string(b)
		q.Orderby = &s
	}
	if o.Offset > 0 {
		q.Offset = int32p(o.Offset)
	}
	if o.Limit > 0 {
		q.Limit = int32p(o.Limit)
	}
	return q, nil
}

func int32p(n int) *int32 {
	v := int32(n) //nolint:gosec // page bounds fit the API's int32
	return &v
}

// pageFunc fetches one page of a list: its items and its pagination.
type pageFunc[T any] func(ctx context.Context, q query) ([]T, vbgcapi.PaginationModel, error)

// all turns a list operation into an iterator over every item matching opts.
func all[T any](ctx context.Context, version string, opts *ListOptions, fetch pageFunc[T]) iter.Seq2[T, error] {
	o := ListOptions{}
	if opts != nil {
		o = *opts
		o.Filter = append([]Condition(nil), opts.Filter...)
		o.OrderBy = append([]Order(nil), opts.OrderBy...)
	}
	if o.Limit <= 0 {
		o.Limit = DefaultPageSize
	}
	return pager.Offset(ctx, o.Offset, o.Limit, func(ctx context.Context, offset, limit int) (pager.OffsetPage[T], error) {
		p := o
		p.Offset, p.Limit = offset, limit
		q, err := p.encode(version)
		if err != nil {
			return pager.OffsetPage[T]{}, err
		}
		items, pg, err := fetch(ctx, q)
		if err != nil {
			return pager.OffsetPage[T]{}, err
		}
		return pager.OffsetPage[T]{Items: items, Total: int(pg.TotalCount), HasTotal: true}, nil
	})
}

// sessionsPage adapts a call returning a sessions list to a pageFunc.
func sessionsPage(call func(ctx context.Context, q query) (*vbgcapi.SessionsInfoListModel, error)) pageFunc[vbgcapi.SessionInfoItemModel] {
	return func(ctx context.Context, q query) ([]vbgcapi.SessionInfoItemModel, vbgcapi.PaginationModel, error) {
		page, err := call(ctx, q)
		if err != nil {
			return nil, vbgcapi.PaginationModel{}, err
		}
		return page.Data, page.Pagination, nil
	}
}

// accept sets the Accept header, which the generated client leaves alone.
func accept(mediaType string) vbgcapi.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Accept", mediaType)
		return nil
	}
}
