// Package errs defines the small set of error kinds every AuthorWorks service
// speaks. A kind decides the HTTP status and the envelope's error code in one
// place (httpapi); the message of an *Error is safe to show to the client.
package errs

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error.
type Kind int

// The kinds. Internal is the zero value so an unclassified error is never shown.
const (
	Internal Kind = iota
	Invalid
	Unauthorized
	Forbidden
	NotFound
	Conflict
	PreconditionFailed
	TooLarge
	UnsupportedMedia
	RateLimited
	Unavailable
	// QuotaExceeded is a plan's allowance used up: paying more (or waiting for
	// the next period) is the way on.
	QuotaExceeded
)

// Error is an error whose message may be shown to the client.
type Error struct {
	Kind    Kind
	Code    string // optional override of the kind's default envelope code
	Message string
	// Field names the request field at fault, when there is one.
	Field string
	// RetryAfter tells a rate-limited client when to try again.
	RetryAfter time.Duration
	// Current, when set, is sent as the envelope's data beside the error: the
	// current state of a record a stale update conflicted with.
	Current any
	// Err is the underlying cause; it is logged, never shown.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error of kind k with a formatted message.
func E(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
}

// Field builds an Invalid error about one request field.
func Field(field, format string, args ...any) *Error {
	return &Error{Kind: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// WithCode returns e with its envelope code set to code.
func (e *Error) WithCode(code string) *Error { e.Code = code; return e }

// KindOf returns the kind of err, Internal when err carries none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err is of kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }
