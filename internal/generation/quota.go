package generation

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/authorworks/authorworks/internal/errs"
)

// Tiers tells a user's subscription tier.
type Tiers interface {
	Tier(ctx context.Context, userID string) (string, error)
}

// Usage is a user's generation usage in the current month.
type Usage struct {
	Tier   string `json:"tier"`
	Period string `json:"period"`
	Tokens int64  `json:"tokens"`
	// Reserved is held by generations still running.
	Reserved int64 `json:"reserved"`
	// Limit is the tier's monthly allowance; 0 means unlimited.
	Limit      int64     `json:"limit"`
	Remaining  *int64    `json:"remaining"`
	CostMicros int64     `json:"cost_micros"`
	CostUSD    float64   `json:"cost_usd"`
	ResetsAt   time.Time `json:"resets_at"`
}

func period(t time.Time) (string, time.Time) {
	t = t.UTC()
	start := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	return start.Format("2006-01"), start.AddDate(0, 1, 0)
}

// Usage returns the caller's usage this month.
func (s *Service) Usage(ctx context.Context, userID string) (*Usage, error) {
	tier, err := s.tiers.Tier(ctx, userID)
	if err != nil {
		return nil, err
	}
	per, resets := period(s.now())
	u := &Usage{Tier: tier, Period: per, Limit: s.allowances[tier], ResetsAt: resets}
	err = s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(tokens), 0), COALESCE(SUM(reserved), 0), COALESCE(SUM(cost_micros), 0)
		FROM ai_usage WHERE user_id = $1 AND period = $2`, userID, per).Scan(&u.Tokens, &u.Reserved, &u.CostMicros)
	if err != nil {
		return nil, fmt.Errorf("generation: usage: %w", err)
	}
	if u.Limit > 0 {
		left := max(u.Limit-u.Tokens-u.Reserved, 0)
		u.Remaining = &left
	}
	u.CostUSD = float64(u.CostMicros) / 1e6
	return u, nil
}

// reservation holds tokens of a user's allowance while a generation runs.
type reservation struct {
	s      *Service
	userID string
	period string
	n      int64
}

// reserve holds n tokens of the user's monthly allowance, or refuses with 402
// when the allowance cannot cover them. The check and the hold are one UPDATE,
// so concurrent generations cannot overspend.
func (s *Service) reserve(ctx context.Context, userID string, n int64) (*reservation, error) {
	tier, err := s.tiers.Tier(ctx, userID)
	if err != nil {
		return nil, err
	}
	limit := s.allowances[tier]
	per, resets := period(s.now())
	if _, err := s.db.ExecContext(ctx, `INSERT INTO ai_usage (user_id, period) VALUES ($1, $2)
		ON CONFLICT (user_id, period) DO NOTHING`, userID, per); err != nil {
		return nil, fmt.Errorf("generation: usage row: %w", err)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE ai_usage SET reserved = reserved + $3
		WHERE user_id = $1 AND period = $2 AND ($4 = 0 OR tokens + reserved + $3 <= $4)`, userID, per, n, limit)
	if err != nil {
		return nil, fmt.Errorf("generation: reserve tokens: %w", err)
	}
	if k, err := res.RowsAffected(); err != nil || k != 1 {
		if err != nil {
			return nil, fmt.Errorf("generation: reserve tokens: %w", err)
		}
		var used int64
		_ = s.db.QueryRowContext(ctx, `SELECT tokens + reserved FROM ai_usage WHERE user_id = $1 AND period = $2`,
			userID, per).Scan(&used)
		return nil, &errs.Error{Kind: errs.QuotaExceeded, Message: fmt.Sprintf(
			"this generation needs up to %d tokens but your %s plan has %d of its %d monthly tokens left; "+
				"upgrade your plan, ask for a shorter answer or a smaller context budget, or wait until %s",
			n, tier, max(limit-used, 0), limit, resets.Format("2 January 2006"))}
	}
	return &reservation{s: s, userID: userID, period: per, n: n}, nil
}

// settle releases the hold and charges what the call really used.
func (r *reservation) settle(ctx context.Context, tokens, cost int64) error {
	return settleUsage(ctx, r.s.db, r.userID, r.period, r.n, tokens, cost)
}

// settleUsage releases held tokens of a user's month and charges tokens and
// cost in their place.
func settleUsage(ctx context.Context, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, userID, period string, held, tokens, cost int64) error {
	_, err := q.ExecContext(ctx, `UPDATE ai_usage SET
		reserved = CASE WHEN reserved >= $3 THEN reserved - $3 ELSE 0 END,
		tokens = tokens + $4, cost_micros = cost_micros + $5
		WHERE user_id = $1 AND period = $2`, userID, period, held, tokens, cost)
	if err != nil {
		return fmt.Errorf("generation: charge usage: %w", err)
	}
	return nil
}

// RecoverInterrupted ends the generations a stopped process left running for
// longer than after: they are marked failed and the allowance they held is
// released. Housekeeping calls it.
func (s *Service) RecoverInterrupted(ctx context.Context, after time.Duration) (int, error) {
	cutoff := s.now().UTC().Add(-after)
	rows, err := s.db.QueryContext(ctx, `SELECT id, user_id, reserved_tokens, created_at FROM generation_history
		WHERE status = 'running' AND created_at < $1`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("generation: interrupted generations: %w", err)
	}
	type stale struct {
		id, userID string
		reserved   int64
		created    time.Time
	}
	var list []stale
	for rows.Next() {
		var g stale
		if err := rows.Scan(&g.id, &g.userID, &g.reserved, &g.created); err != nil {
			rows.Close()
			return 0, fmt.Errorf("generation: interrupted generations: %w", err)
		}
		list = append(list, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("generation: interrupted generations: %w", err)
	}
	n := 0
	for _, g := range list {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return n, err
		}
		res, err := tx.ExecContext(ctx, `UPDATE generation_history SET status = 'failed', reserved_tokens = 0,
			error = 'interrupted: the server stopped during the generation' WHERE id = $1 AND status = 'running'`, g.id)
		if err == nil {
			if k, _ := res.RowsAffected(); k == 1 && g.reserved > 0 {
				per, _ := period(g.created)
				err = settleUsage(ctx, tx, g.userID, per, g.reserved, 0, 0)
			}
		}
		if err == nil {
			err = tx.Commit()
		}
		if err != nil {
			_ = tx.Rollback()
			return n, fmt.Errorf("generation: recover %s: %w", g.id, err)
		}
		n++
	}
	return n, nil
}
