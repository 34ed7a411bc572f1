package httpapi

import (
	"net/http/httptest"
	"testing"
)

func TestEventStreamFrames(t *testing.T) {
	rec := httptest.NewRecorder()
	s := NewEventStream(rec)
	if s.Started() {
		t.Fatal("a stream is started before Begin")
	}
	s.Begin()
	if err := s.Send("delta", map[string]string{"text": "Hi"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if got := rec.Header().Get("Content-Type"); got != "text/event-stream; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	if want := "event: delta\ndata: {\"text\":\"Hi\"}\n\n"; rec.Body.String() != want {
		t.Errorf("body = %q, want %q", rec.Body.String(), want)
	}
}
