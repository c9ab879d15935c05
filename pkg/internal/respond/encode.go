package respond

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/backupsdk/backupsdk/pkg/apierr"
)

// Encode explains a failure to encode the request body of operation op. A
// generated client returns such a failure before sending anything, and the
// encoding packages name neither the operation nor the field.
//
// Encode returns nil for a nil err, and err itself unless err is an
// encoding/json error (or an encoding/xml unsupported type). Otherwise it
// returns an error naming op and the path of the failing field in the body's
// JSON (or XML) names, such as
//
//	VmPolicyCreate: encode request body: field notificationSettings.recipients[1]: <err>
//
// which unwraps to err. The path is found only here, on the error path, by
// encoding the parts of body one by one down to the deepest one that fails.
func Encode(op string, body any, err error) error {
	if err == nil {
		return nil
	}
	enc, ok := encoderOf(err)
	if !ok {
		return err
	}
	field, _ := enc.find(reflect.ValueOf(body), 0)
	return &encodeError{op: op, field: field, err: err}
}

// encodeError is the error Encode returns for an encoding failure.
type encodeError struct {
	op, field string
	err       error
}

func (e *encodeError) Error() string {
	var b strings.Builder
	if e.op != "" {
		b.WriteString(e.op)
		b.WriteString(": ")
	}
	b.WriteString("encode request body: ")
	if e.field != "" {
		b.WriteString("field ")
		b.WriteString(e.field)
		b.WriteString(": ")
	}
	// A marshaller's own error could quote the value it refused.
	b.WriteString(apierr.Redact(e.err.Error()))
	return b.String()
}

func (e *encodeError) Unwrap() error { return e.err }

// encoder encodes a value alone and names struct fields the way one encoding
// does.
type encoder struct {
	marshal func(any) ([]byte, error)
	tag     string
}

func encoderOf(err error) (encoder, bool) {
	var (
		me *json.MarshalerError
		te *json.UnsupportedTypeError
		ve *json.UnsupportedValueError
		xe *xml.UnsupportedTypeError
	)
	switch {
	case errors.As(err, &me), errors.As(err, &te), errors.As(err, &ve):
		return encoder{marshal: json.Marshal, tag: "json"}, true
	case errors.As(err, &xe):
		return encoder{marshal: xml.Marshal, tag: "xml"}, true
	}
	return encoder{}, false
}

// maxDepth bounds the walk, which a cyclic value would otherwise not end.
const maxDepth = 64

// fails reports whether v, encoded alone, fails.
func (enc encoder) fails(v reflect.Value) bool {
	if !v.IsValid() || !v.CanInterface() {
		return false
	}
	_, err := enc.marshal(v.Interface())
	return err != nil
}

// find returns the path, relative to v, of the deepest part of v that fails
// to encode, and whether there is one. A path starts with a field name or
// an index ("[2]").
func (enc encoder) find(v reflect.Value, depth int) (string, bool) {
	if depth > maxDepth || !v.IsValid() {
		return "", false
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "", false
		}
		return enc.find(v.Elem(), depth+1)
	case reflect.Struct:
		return enc.findField(v, depth)
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if e := v.Index(i); enc.fails(e) {
				sub, _ := enc.find(e, depth+1)
				return "[" + strconv.Itoa(i) + "]" + joinSub(sub), true
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			if e := v.MapIndex(k); enc.fails(e) {
				sub, _ := enc.find(e, depth+1)
				return fmt.Sprint(k) + joinSub(sub), true
			}
		}
	}
	return "", false
}

func (enc encoder) findField(v reflect.Value, depth int) (string, bool) {
	t := v.Type()
	for i := range t.NumField() {
		sf, fv := t.Field(i), v.Field(i)
		name, skip := enc.name(sf)
		if skip {
			continue
		}
		if sf.Anonymous && name == "" {
			// An embedded struct without a name of its own: its fields
			// are encoded as the outer struct's.
			if sub, ok := enc.find(fv, depth+1); ok {
				return sub, true
			}
			continue
		}
		if !sf.IsExported() || !enc.fails(fv) {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		sub, _ := enc.find(fv, depth+1)
		return name + joinSub(sub), true
	}
	return "", false
}

// name is the name the encoding gives a field ("" for the Go name, or for
// an embedded struct to flatten), and whether the encoding skips it.
func (enc encoder) name(sf reflect.StructField) (string, bool) {
	tag, ok := sf.Tag.Lookup(enc.tag)
	if tag == "-" {
		return "", true
	}
	name, _, _ := strings.Cut(tag, ",")
	if sf.Anonymous && (!ok || name == "") {
		ft := sf.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			return "", false
		}
		if !sf.IsExported() {
			return "", true
		}
		return sf.Name, false
	}
	return name, false
}

// joinSub appends the path of a part to that of its container.
func joinSub(sub string) string {
	if sub == "" || strings.HasPrefix(sub, "[") {
		return sub
	}
	return "." + sub
}
