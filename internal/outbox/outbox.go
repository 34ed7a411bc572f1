// Package outbox records domain events in the same transaction as the change they
// describe (the transactional outbox), so that no event is lost and none is sent
// for a change that was rolled back. Delivery to subscribers reads the table.
package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Event is one domain event.
type Event struct {
	// Topic names what happened, as "aggregate.verb": "story.created".
	Topic string
	// AggregateID is the id of the thing it happened to.
	AggregateID string
	// ActorID is the user who caused it, if any.
	ActorID string
	// Payload is marshalled to JSON.
	Payload any
}

// Execer is the part of *sql.Tx that Record needs.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Record writes e into the outbox; call it with the transaction of the change.
func Record(ctx context.Context, tx Execer, now time.Time, e Event) error {
	payload := []byte("{}")
	if e.Payload != nil {
		var err error
		if payload, err = json.Marshal(e.Payload); err != nil {
			return fmt.Errorf("outbox: encode %s: %w", e.Topic, err)
		}
	}
	var actor any
	if e.ActorID != "" {
		actor = e.ActorID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox_events (id, topic, aggregate_id, actor_id, payload, created_at)
	VALUES ($1, $2, $3, $4, $5, $6)`, uuid.NewString(), e.Topic, e.AggregateID, actor, string(payload), now)
	if err != nil {
		return fmt.Errorf("outbox: record %s: %w", e.Topic, err)
	}
	return nil
}
