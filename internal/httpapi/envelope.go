// Package httpapi holds what every AuthorWorks HTTP service shares: the response
// envelope, the mapping of error kinds to statuses and codes, request decoding with
// field-level errors, and the middleware chain (request ids, logging, metrics,
// recovery, CORS, security headers, authentication).
package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/authorworks/authorworks/internal/errs"
)

// Envelope is the shape of every JSON response.
type Envelope struct {
	Data  any            `json:"data"`
	Error *EnvelopeError `json:"error"`
}

// EnvelopeError is the error half of the envelope.
type EnvelopeError struct {
	Message string `json:"message"`
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
}

// Stable error codes.
const (
	CodeValidation   = "VALIDATION_FAILED"
	CodeUnauthorized = "UNAUTHORIZED"
	CodeForbidden    = "FORBIDDEN"
	CodeNotFound     = "NOT_FOUND"
	CodeConflict     = "CONFLICT"
	CodePrecondition = "PRECONDITION_FAILED"
	CodeTooLarge     = "PAYLOAD_TOO_LARGE"
	CodeRateLimited  = "RATE_LIMITED"
	CodeUnavailable  = "UNAVAILABLE"
	CodeInternal     = "INTERNAL"
	CodeMethod       = "METHOD_NOT_ALLOWED"
	CodeUnsupported  = "UNSUPPORTED_MEDIA_TYPE"
	CodeQuota        = "QUOTA_EXCEEDED"
)

// Status maps an error kind to its HTTP status and default envelope code.
func Status(k errs.Kind) (int, string) {
	switch k {
	case errs.Invalid:
		return http.StatusBadRequest, CodeValidation
	case errs.Unauthorized:
		return http.StatusUnauthorized, CodeUnauthorized
	case errs.Forbidden:
		return http.StatusForbidden, CodeForbidden
	case errs.NotFound:
		return http.StatusNotFound, CodeNotFound
	case errs.Conflict:
		return http.StatusConflict, CodeConflict
	case errs.PreconditionFailed:
		return http.StatusPreconditionFailed, CodePrecondition
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge, CodeTooLarge
	case errs.UnsupportedMedia:
		return http.StatusUnsupportedMediaType, CodeUnsupported
	case errs.RateLimited:
		return http.StatusTooManyRequests, CodeRateLimited
	case errs.Unavailable:
		return http.StatusServiceUnavailable, CodeUnavailable
	case errs.QuotaExceeded:
		return http.StatusPaymentRequired, CodeQuota
	default:
		return http.StatusInternalServerError, CodeInternal
	}
}

// JSON writes data in the envelope with the given status.
func JSON(w http.ResponseWriter, status int, data any) {
	writeEnvelope(w, status, Envelope{Data: data})
}

// Error writes err in the envelope. Errors that carry no kind become a 500 whose
// detail is logged and never shown; only 5xx responses are logged as errors.
func Error(w http.ResponseWriter, r *http.Request, err error) {
	var e *errs.Error
	if !errors.As(err, &e) {
		e = &errs.Error{Kind: errs.Internal, Err: err}
	}
	status, code := Status(e.Kind)
	if e.Code != "" {
		code = e.Code
	}
	msg := e.Message
	if status >= 500 {
		Logger(r.Context()).Error("request failed", "status", status, "err", err)
		if e.Kind == errs.Internal || msg == "" {
			msg = "internal error"
		}
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
	}
	if e.Kind == errs.Unauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="authorworks"`)
	}
	writeEnvelope(w, status, Envelope{Data: e.Current, Error: &EnvelopeError{Message: msg, Code: code, Field: e.Field}})
}

// ErrorCode writes an error envelope with an explicit status and code.
func ErrorCode(w http.ResponseWriter, status int, code, msg string) {
	writeEnvelope(w, status, Envelope{Error: &EnvelopeError{Message: msg, Code: code}})
}

func writeEnvelope(w http.ResponseWriter, status int, env Envelope) {
	body, err := json.Marshal(env)
	if err != nil {
		slog.Error("encode response", "err", err)
		status = http.StatusInternalServerError
		body = []byte(`{"data":null,"error":{"message":"internal error","code":"INTERNAL"}}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(body, '\n')) //nolint:errcheck // the client went away
}

// JSONWithError writes an envelope carrying both data and an error, for answers such
// as a failing health check that report details alongside the failure.
func JSONWithError(w http.ResponseWriter, status int, data any, e *EnvelopeError) {
	writeEnvelope(w, status, Envelope{Data: data, Error: e})
}
