// Package redacted gives every credential of the SDK one printed form,
// written without its secrets, for every way a value can be printed:
// String, GoString (%#v), every other fmt verb, and slog. A credential
// embeds a Text set when it is built, so no verb or logger can reach the
// fields that hold a password, key or token.
package redacted

import (
	"fmt"
	"log/slog"
)

// Text is the printed form of a credential.
type Text string

// String is the text.
func (t Text) String() string { return string(t) }

// GoString is the text, so %#v does not show the fields.
func (t Text) GoString() string { return string(t) }

// Format prints the text for every verb, %+v and %x included.
func (t Text) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(t)) }

// LogValue is the text, so slog does not walk the fields.
func (t Text) LogValue() slog.Value { return slog.StringValue(string(t)) }
