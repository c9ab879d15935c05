package vbgc

import (
	"encoding/json"
	"fmt"
	"strconv"
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

// The wire forms of Condition and Order: every member a string, as the API
// documents them (ignorecase too).
type (
	wireCondition struct {
		Property   string `json:"property"`
		Operator   string `json:"operator"`
		IgnoreCase string `json:"ignorecase"`
		Value      string `json:"value"`
	}
	wireOrder struct {
		Property  string `json:"property"`
		Direction string `json:"direction"`
	}
)

// Filter encodes conditions as the value of ListOptions.Filter: the JSON
// array the API takes in its filter parameter. No conditions is "" (no
// filter). A condition without a property or an operator is refused, so
// that it is not sent.
//
//	f, err := vbgc.Filter(vbgc.Condition{Property: "name", Operator: vbgc.OpContains, Value: "prod", IgnoreCase: true})
//	page, err := c.VMPolicies.List(ctx, &vbgc.ListOptions{Filter: f})
func Filter(conditions ...Condition) (string, error) {
	if len(conditions) == 0 {
		return "", nil
	}
	wire := make([]wireCondition, len(conditions))
	for i, c := range conditions {
		if c.Property == "" || c.Operator == "" {
			return "", fmt.Errorf("vbgc: filter condition %d needs a property and an operator", i)
		}
		wire[i] = wireCondition{c.Property, string(c.Operator), strconv.FormatBool(c.IgnoreCase), c.Value}
	}
	return encode(wire)
}

// OrderBy encodes orders as the value of ListOptions.OrderBy: the JSON
// array the API takes in its orderby parameter. No orders is "" (the
// server's order). An order without a property is refused.
func OrderBy(orders ...Order) (string, error) {
	if len(orders) == 0 {
		return "", nil
	}
	wire := make([]wireOrder, len(orders))
	for i, o := range orders {
		if o.Property == "" {
			return "", fmt.Errorf("vbgc: order %d needs a property", i)
		}
		dir := "ASC"
		if o.Descending {
			dir = "DESC"
		}
		wire[i] = wireOrder{o.Property, dir}
	}
	return encode(wire)
}

func encode(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("vbgc: %w", err)
	}
	return string(b), nil
}
