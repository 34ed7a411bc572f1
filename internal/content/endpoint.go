package content

import (
	"context"
	"net/http"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/httpapi"
)

// none is the body type of routes that take no JSON body.
type none struct{}

// call is one decoded request to a content route.
type call[In any] struct {
	r *http.Request
	// ID is the {id} path value, when the route has one.
	ID string
	// In is the decoded JSON body.
	In In
	// Match is the version named by If-Match on a write, 0 when absent.
	Match int
}

func (c *call[In]) ctx() context.Context             { return c.r.Context() }
func (c *call[In]) who() auth.Principal              { return principal(c.r) }
func (c *call[In]) caller() *auth.Principal          { return caller(c.r) }
func (c *call[In]) query(key string) string          { return c.r.URL.Query().Get(key) }
func (c *call[In]) path(name string) string          { return c.r.PathValue(name) }
func (c *call[In]) uuid(name string) (string, error) { return httpapi.PathUUID(c.r, name) }

// reply is a route's answer on success.
type reply struct {
	Status   int // 0 means 200
	Body     any
	Version  int    // when positive, sent as the ETag
	Location string // when set, sent as Location
}

// ok answers 200 with body.
func ok(body any) reply { return reply{Body: body} }

// deleted is the answer to a successful DELETE.
var deleted = reply{Body: map[string]bool{"deleted": true}}

// endpoint adapts fn to an http.HandlerFunc. Before fn runs it parses the {id}
// path value (when the route has one), If-Match (on writes) and the JSON body of at
// most max bytes (unless In is none); afterwards it writes fn's reply, or its error
// in the envelope (a version conflict becomes 412 when the client sent If-Match).
func endpoint[In any](max int64, fn func(c *call[In]) (reply, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := &call[In]{r: r}
		var err error
		if r.PathValue("id") != "" {
			if c.ID, err = httpapi.PathUUID(r, "id"); err != nil {
				httpapi.Error(w, r, err)
				return
			}
		}
		if r.Method != http.MethodGet {
			if c.Match, err = ifMatch(r); err != nil {
				httpapi.Error(w, r, err)
				return
			}
		}
		if _, noBody := any(c.In).(none); !noBody {
			if err := httpapi.Decode(w, r, max, &c.In); err != nil {
				httpapi.Error(w, r, err)
				return
			}
		}
		rep, err := fn(c)
		if err != nil {
			httpapi.Error(w, r, preconditionIfMatched(err, c.Match))
			return
		}
		if rep.Location != "" {
			w.Header().Set("Location", rep.Location)
		}
		if rep.Version > 0 {
			w.Header().Set("ETag", etag(rep.Version))
		}
		if rep.Status == 0 {
			rep.Status = http.StatusOK
		}
		httpapi.JSON(w, rep.Status, rep.Body)
	}
}
