package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// eventPing is how often an open event stream sends a comment, so proxies do
// not close a connection that is waiting for its next event.
const eventPing = 15 * time.Second

// EventStream writes server-sent events (text/event-stream): one JSON payload
// per event. Writes from the caller and from the keep-alive are serialised.
type EventStream struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	mu      sync.Mutex
	started bool
	stop    chan struct{}
	done    sync.WaitGroup
}

// NewEventStream returns a stream on w; nothing is written before Begin.
func NewEventStream(w http.ResponseWriter) *EventStream {
	return &EventStream{w: w, rc: http.NewResponseController(w), stop: make(chan struct{})}
}

// Begin sends the 200 and the stream's headers and starts the keep-alive.
func (s *EventStream) Begin() {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	s.w.WriteHeader(http.StatusOK)
	_ = s.rc.Flush()
	s.started = true
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		t := time.NewTicker(eventPing)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.mu.Lock()
				_, _ = fmt.Fprint(s.w, ": ping\n\n")
				_ = s.rc.Flush()
				s.mu.Unlock()
			}
		}
	}()
}

// Started reports whether Begin was called: until then the answer may still
// be an ordinary error envelope.
func (s *EventStream) Started() bool { return s.started }

// Send writes one event with data as its JSON payload and flushes it. An error
// means the client has gone.
func (s *EventStream) Send(event string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := fmt.Fprintf(s.w, "event: %s\ndata: %s\n\n", event, b); err != nil {
		return err
	}
	return s.rc.Flush()
}

// Close stops the keep-alive.
func (s *EventStream) Close() {
	if s.started {
		close(s.stop)
		s.done.Wait()
	}
}
