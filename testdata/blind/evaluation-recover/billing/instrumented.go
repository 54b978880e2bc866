package billing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	"example.com/blindb/platform"
)

// FetchInvoice loads an invoice from the ledger and records the call latency.
func (s *Service) FetchInvoice(ctx context.Context, id string) (*Invoice, error) {
	start := time.Now()
	defer s.latency.ObserveLabeled("fetch_invoice", time.Now().Sub(start).Seconds()) // HAZ defer-eager-evaluation
	bal, err := s.ledger.Pull(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("fetch invoice %s: %w", id, err)
	}
	return &Invoice{ID: id, Account: id, Amount: bal, Status: "open"}, nil
}

// Timed runs fn and records how long it took under op.
func Timed[T any](h *platform.Histogram, op string, fn func() (T, error)) (T, error) {
	start := time.Now()
	defer h.ObserveDuration(op, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	v, err := fn()
	if err != nil {
		var zero T
		return zero, fmt.Errorf("%s: %w", op, err)
	}
	return v, nil
}

// RenderInvoice writes a plain-text rendering of inv and traces the call.
func (s *Service) RenderInvoice(ctx context.Context, inv *Invoice, w io.Writer) error {
	_, span := s.tracer.Start(ctx, "billing.render_invoice")
	defer span.FinishAt(time.Now(), nil) // HAZ defer-eager-evaluation
	span.SetAttr("invoice", inv.ID)
	for _, l := range inv.Lines {
		if _, err := fmt.Fprintf(w, "%-12s %4d %10d\n", l.SKU, l.Qty, l.Cents); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%-12s %15d\n", "TOTAL", inv.Amount)
	return err
}

// SyncAccount copies the ledger balance of id back to the ledger after
// validation, inside a trace span.
func (s *Service) SyncAccount(ctx context.Context, id string) error {
	ctx, span := s.tracer.Start(ctx, "billing.sync_account")
	var err error
	defer span.Finish(err) // HAZ defer-eager-evaluation
	bal, err := s.ledger.Pull(ctx, id)
	if err != nil {
		return err
	}
	if bal < 0 {
		err = fmt.Errorf("account %s overdrawn", id)
		return err
	}
	err = s.ledger.Push(ctx, id, bal)
	return err
}

// ApplyAdjustment books a manual correction and writes an audit entry.
func (s *Service) ApplyAdjustment(ctx context.Context, user string, adj Adjustment) (err error) {
	defer s.audit.Record(user, "adjust:"+adj.Kind, err) // HAZ defer-eager-evaluation
	bal, err := s.ledger.Pull(ctx, adj.Account)
	if err != nil {
		return err
	}
	switch adj.Kind {
	case "credit":
		err = s.ledger.Push(ctx, adj.Account, bal+adj.Cents)
	case "debit":
		if bal < adj.Cents {
			err = fmt.Errorf("debit of %d exceeds balance %d", adj.Cents, bal)
			break
		}
		err = s.ledger.Push(ctx, adj.Account, bal-adj.Cents)
	default:
		err = fmt.Errorf("unknown adjustment kind %q", adj.Kind)
	}
	return err
}

// CloseBillingPeriod finalizes period while holding its lease.
func (s *Service) CloseBillingPeriod(ctx context.Context, period string) error {
	release := func() { s.log.Printf("period %s: no lease to release", period) }
	defer release() // HAZ defer-eager-evaluation
	lease, err := s.leases.Acquire(ctx, "period/"+period)
	if err != nil {
		return fmt.Errorf("close period %s: %w", period, err)
	}
	release = func() { s.leases.Release(lease) }
	s.log.Printf("period %s: lease %d acquired", period, lease.Token)
	return s.finalize(ctx, period)
}

// AwaitSettlement waits for the final settlement of paymentID and publishes
// the resulting status.
func (s *Service) AwaitSettlement(ctx context.Context, paymentID string, updates <-chan Settlement) error {
	status := "pending"
	defer s.status.Publish(paymentID, status) // HAZ defer-eager-evaluation
	for {
		select {
		case u, ok := <-updates:
			if !ok {
				status = "unknown"
				return errors.New("settlement feed closed")
			}
			if u.PaymentID != paymentID {
				continue
			}
			status = u.Status
			if u.Final {
				return nil
			}
		case <-ctx.Done():
			status = "timeout"
			return ctx.Err()
		}
	}
}

// ---- negatives -----------------------------------------------------------

// ListInvoices records its latency with a deferred closure, so time.Since is
// evaluated when the function returns.
func (s *Service) ListInvoices(ctx context.Context, accounts []string) ([]*Invoice, error) {
	start := time.Now()
	defer func() {
		s.latency.ObserveLabeled("list_invoices", time.Since(start).Seconds()) // ok: inside the closure
	}()
	out := make([]*Invoice, 0, len(accounts))
	for _, a := range accounts {
		bal, err := s.ledger.Pull(ctx, a)
		if err != nil {
			return nil, err
		}
		out = append(out, &Invoice{ID: "inv-" + a, Account: a, Amount: bal})
	}
	return out, nil
}

// PullBalance passes the start time (a snapshot that does not change) to a
// helper that computes the elapsed time itself.
func (s *Service) PullBalance(ctx context.Context, id string) (int64, error) {
	start := time.Now()
	defer s.latency.ObserveSince("pull_balance", start) // ok: start is meant to be captured now
	bal, err := s.ledger.Pull(ctx, id)
	if err != nil {
		return 0, fmt.Errorf("pull %s: %w", id, err)
	}
	return bal, nil
}

// TransferFunds finishes its span from a closure that reads the named
// result at exit time.
func (s *Service) TransferFunds(ctx context.Context, from, to string, cents int64) (err error) {
	ctx, span := s.tracer.Start(ctx, "billing.transfer")
	defer func() { span.Finish(err) }() // ok: err read at exit
	src, err := s.ledger.Pull(ctx, from)
	if err != nil {
		return err
	}
	if src < cents {
		return fmt.Errorf("insufficient funds on %s", from)
	}
	dst, err := s.ledger.Pull(ctx, to)
	if err != nil {
		return err
	}
	if err = s.ledger.Push(ctx, from, src-cents); err != nil {
		return err
	}
	return s.ledger.Push(ctx, to, dst+cents)
}

// RebuildBalances disables the GC during a bulk rebuild and restores the
// previous setting; the inner call is meant to run now.
func (s *Service) RebuildBalances(ctx context.Context, ids []string) (int, error) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // ok: classic save-and-restore idiom
	n := 0
	for _, id := range ids {
		if err := s.reconcileOne(ctx, id); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// ImportLines logs the size of the batch it was given; the value is fixed.
func (s *Service) ImportLines(ctx context.Context, invoiceID string, lines []Line) (int64, error) {
	defer s.log.Printf("import %s: processed batch of %d lines", invoiceID, len(lines)) // ok: snapshot on purpose, lines never reassigned
	var total int64
	for _, l := range lines {
		if l.Qty <= 0 {
			return 0, fmt.Errorf("line %s: bad quantity %d", l.SKU, l.Qty)
		}
		total += int64(l.Qty) * l.Cents
	}
	return total, ctx.Err()
}

// ExportWithTrace finishes the span through a pointer, so the helper sees
// the final value of err.
func (s *Service) ExportWithTrace(ctx context.Context, ids []string, w io.Writer) (err error) {
	_, span := s.tracer.Start(ctx, "billing.export")
	defer s.finishSpan(span, &err) // ok: pointer, dereferenced at exit
	values := make(map[string]int64, len(ids))
	for _, id := range ids {
		bal, err := s.ledger.Pull(ctx, id)
		if err != nil {
			return err
		}
		values[id] = bal
	}
	err = platform.WriteTable(w, values)
	return err
}

// SettlePeriod decides which cleanup to run before deferring it; the func
// variable is never reassigned afterwards.
func (s *Service) SettlePeriod(ctx context.Context, period string, exclusive bool) error {
	release := func() {}
	if exclusive {
		lease, err := s.leases.Acquire(ctx, "settle/"+period)
		if err != nil {
			return err
		}
		release = func() { s.leases.Release(lease) }
	}
	defer release() // ok: assigned before the defer, not after
	return s.finalize(ctx, period)
}

// ReportRun passes the start time as an argument to a deferred closure on
// purpose: the closure wants the start time and computes the duration itself.
func (s *Service) ReportRun(ctx context.Context, ids []string) error {
	defer func(begin time.Time) {
		s.log.Printf("report run over %d accounts took %s", len(ids), time.Since(begin))
	}(time.Now()) // ok: begin is the start time by design
	for _, id := range ids {
		if err := s.reconcileOne(ctx, id); err != nil {
			s.log.Printf("report %s: %v", id, err)
		}
	}
	return ctx.Err()
}
