package respond

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"math"
	"net/url"
	"reflect"
	"testing"

	openapi_types "github.com/oapi-codegen/runtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failing refuses to be encoded, in either encoding.
type failing struct{}

var errRefused = errors.New("refused")

func (failing) MarshalJSON() ([]byte, error)                    { return nil, errRefused }
func (failing) MarshalXML(*xml.Encoder, xml.StartElement) error { return errRefused }

type Embedded struct {
	Deep *failing `json:"deep,omitempty"`
}

type notification struct {
	IsEnabled  bool                   `json:"isEnabled"`
	Recipients *[]openapi_types.Email `json:"recipients,omitempty"`
}

type policySpec struct {
	Name                 string            `json:"name"`
	Skipped              failing           `json:"-"`
	unexported           failing           //nolint:unused // encoding/json skips it, and so must the walk
	NotificationSettings *notification     `json:"notificationSettings,omitempty"`
	Labels               map[string]any    `json:"labels,omitempty"`
	Untagged             []map[string]any  `json:",omitempty"`
	Items                []json.RawMessage `json:"items,omitempty"`
	*Embedded
	Any any `json:"any,omitempty"`
}

// encodeWith runs what a generated client does: marshal, and on failure
// hand the error to Encode.
func encodeWith(t *testing.T, op string, body any) error {
	t.Helper()
	_, err := json.Marshal(body)
	require.Error(t, err, "the body must fail to encode")
	return Encode(op, body, err)
}

func TestEncodeNamesOperationAndField(t *testing.T) {
	emails := []openapi_types.Email{"a@example.com", "not an address"}
	cases := map[string]struct {
		body any
		want string
	}{
		"pointer to struct, pointer to slice": {
			policySpec{Name: "p", NotificationSettings: &notification{Recipients: &emails}},
			"field notificationSettings.recipients[1]: "},
		"pointer body": {
			&policySpec{NotificationSettings: &notification{Recipients: &emails}},
			"field notificationSettings.recipients[1]: "},
		"map": {
			policySpec{Labels: map[string]any{"a": 1, "b": []any{"x", failing{}}}},
			"field labels.b[1]: "},
		"untagged slice of maps": {
			policySpec{Untagged: []map[string]any{{}, {"k": math.NaN()}}},
			"field Untagged[1].k: "},
		"embedded struct": {
			policySpec{Embedded: &Embedded{Deep: &failing{}}},
			"field deep: "},
		"interface": {
			policySpec{Any: map[string]any{"x": struct {
				Inner failing `json:"inner"`
			}{}}},
			"field any.x.inner: "},
		"top-level slice": {
			[]any{1, failing{}},
			"field [1]: "},
		"the body itself": {
			failing{},
			"Op: encode request body: json: error calling MarshalJSON"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := encodeWith(t, "Op", tc.body)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "Op: encode request body: ")
			var me *json.MarshalerError
			var ve *json.UnsupportedValueError
			assert.True(t, errors.As(err, &me) || errors.As(err, &ve), "unwraps to the encoding error: %v", err)
		})
	}
}

func TestEncodeExample(t *testing.T) {
	body := policySpec{NotificationSettings: &notification{IsEnabled: true,
		Recipients: &[]openapi_types.Email{"not an address"}}}
	err := encodeWith(t, "VmPolicyCreate", body)
	assert.Equal(t, "VmPolicyCreate: encode request body: field notificationSettings.recipients[0]: "+
		"json: error calling MarshalJSON for type types.Email: email: failed to pass regex validation", err.Error())
	assert.ErrorIs(t, err, openapi_types.ErrValidationEmail)
}

func TestEncodeXML(t *testing.T) {
	type spec struct {
		XMLName xml.Name `xml:"Spec"`
		Hint    string   `xml:"Hint"`
		Extra   any      `xml:"Extra"`
	}
	body := spec{Hint: "h", Extra: map[string]string{"a": "b"}} // XML has no maps
	_, err := xml.Marshal(body)
	require.Error(t, err)
	got := Encode("CreatePassword", body, err)
	assert.Contains(t, got.Error(), "CreatePassword: encode request body: field Extra: ")
	var xe *xml.UnsupportedTypeError
	assert.ErrorAs(t, got, &xe)
}

func TestEncodeLeavesOtherErrorsAlone(t *testing.T) {
	assert.NoError(t, Encode("Op", policySpec{}, nil))
	for _, err := range []error{
		errors.New("dial tcp: connection refused"),
		&url.Error{Op: "Post", URL: "https://h/x", Err: errors.New("EOF")},
		errRefused, // a marshaller's own error, not wrapped by the encoding
	} {
		assert.Same(t, err, Encode("Op", policySpec{}, err))
	}
}

func TestEncodeRedactsTheCause(t *testing.T) {
	err := Encode("Op", policySpec{}, &json.MarshalerError{Type: reflect.TypeFor[failing](), Err: errors.New(`password=hunter2`)})
	assert.NotContains(t, err.Error(), "hunter2")
}
