package imports

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/auth"
	"github.com/authorworks/authorworks/internal/errs"
)

type memFiles map[string]*File

func (m memFiles) OpenOwn(_ context.Context, _ auth.Principal, id string) (*File, error) {
	f, ok := m[id]
	if !ok {
		return nil, errs.E(errs.NotFound, "file not found")
	}
	cp := *f
	return &cp, nil
}

const fileID = "6f9619ff-8b86-4d01-b42d-00cf4fc964ff"

func newTestService(body, purpose string) *Service {
	s := NewService(memFiles{fileID: {Name: "book.md", Size: int64(len(body)), Purpose: purpose,
		Body: io.NopCloser(strings.NewReader(body))}}, nil)
	s.wait = 50 * time.Millisecond
	return s
}

func TestPreviewReadsTheUpload(t *testing.T) {
	s := newTestService("# The Road\n\n## One\n\nIt began.\n\n## Two\n\nIt ended.\n", "import")
	pv, err := s.Preview(t.Context(), auth.Principal{UserID: "u"}, Request{FileID: fileID})
	if err != nil {
		t.Fatal(err)
	}
	if pv.Title != "The Road" || len(pv.Chapters) != 2 {
		t.Errorf("preview = %+v", pv)
	}
}

func TestPreviewRefusesOtherPurposes(t *testing.T) {
	s := newTestService("# The Road\n", "cover")
	_, err := s.Preview(t.Context(), auth.Principal{UserID: "u"}, Request{FileID: fileID})
	if !errs.Is(err, errs.Invalid) {
		t.Errorf("err = %v, want an invalid file_id", err)
	}
}

// When every slot is taken a parse waits, then asks the writer to retry.
func TestParsesAreBounded(t *testing.T) {
	s := newTestService("# The Road\n\nIt began.\n", "import")
	for range cap(s.slots) {
		s.slots <- struct{}{}
	}
	start := time.Now()
	_, err := s.Preview(t.Context(), auth.Principal{UserID: "u"}, Request{FileID: fileID})
	var e *errs.Error
	if !errs.Is(err, errs.RateLimited) || !asError(err, &e) || e.RetryAfter == 0 {
		t.Fatalf("err = %v, want rate limited with a retry-after", err)
	}
	if waited := time.Since(start); waited < 40*time.Millisecond {
		t.Errorf("refused after %v without waiting for a slot", waited)
	}
	<-s.slots
	if _, err := s.Preview(t.Context(), auth.Principal{UserID: "u"}, Request{FileID: fileID}); err != nil {
		t.Errorf("with a free slot: %v", err)
	}
}

func asError(err error, target **errs.Error) bool {
	e, ok := err.(*errs.Error) //nolint:errorlint // the service returns it unwrapped
	*target = e
	return ok
}
