package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"time"

	"example.com/txsvc/outbox"
)

// Transfer moves Amount minor units from From to To.
type Transfer struct {
	ID     string `json:"id,omitempty"`
	From   string `json:"from"`
	To     string `json:"to"`
	Amount int64  `json:"amount"`
	Fee    int64  `json:"fee,omitempty"`
	Memo   string `json:"memo,omitempty"`
}

// Validate checks the request shape.
func (t Transfer) Validate() error {
	switch {
	case t.From == "" || t.To == "":
		return errors.New("transfer: from and to are required")
	case t.From == t.To:
		return errors.New("transfer: from and to must differ")
	case t.Amount <= 0:
		return errors.New("transfer: amount must be positive")
	case t.Fee < 0:
		return errors.New("transfer: fee must not be negative")
	}
	return nil
}

// Receipt is returned for a committed transfer.
type Receipt struct {
	TransferID  string    `json:"transfer_id"`
	FromBalance int64     `json:"from_balance"`
	ToBalance   int64     `json:"to_balance"`
	FeeCharged  bool      `json:"fee_charged"`
	At          time.Time `json:"at"`
}

// FeeAccount collects transfer fees.
const FeeAccount = "fees"

// Transfer commits a transfer, retrying serialization failures.
func (s *Store) Transfer(ctx context.Context, t Transfer) (Receipt, error) {
	start := time.Now()
	defer s.metrics.ObserveRange("ledger.transfer", start, time.Now()) // HAZ defer-eager-evaluation
	if err := t.Validate(); err != nil {
		return Receipt{}, err
	}
	if t.ID == "" {
		t.ID = s.newID()
	}
	unlock := s.locks.lockPair(t.From, t.To)
	defer unlock() // ok: unlock is assigned once, from a non-nil result
	var rcpt Receipt
	err := s.RetryTx(ctx, 5, func(tx *sql.Tx) error {
		var err error
		rcpt, err = applyTransfer(ctx, tx, t)
		return err
	})
	if err != nil {
		return Receipt{}, err
	}
	s.invalidate(t.From, t.To)
	return rcpt, nil
}

// TransferTimed is Transfer with its latency taken at exit.
func (s *Store) TransferTimed(ctx context.Context, t Transfer) (Receipt, error) {
	defer s.metrics.Since("ledger.transfer", time.Now()) // ok: start snapshot is intended, Since measures at exit
	return s.Transfer(ctx, t)
}

func balanceTx(ctx context.Context, tx *sql.Tx, id string) (int64, error) {
	var b int64
	err := tx.QueryRowContext(ctx, sqlBalance, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return b, err
}

func move(ctx context.Context, tx *sql.Tx, id string, delta int64) error {
	res, err := tx.ExecContext(ctx, sqlAddBalance, delta, id)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return nil
}

func applyTransfer(ctx context.Context, tx *sql.Tx, t Transfer) (Receipt, error) {
	from, err := balanceTx(ctx, tx, t.From)
	if err != nil {
		return Receipt{}, err
	}
	if _, err := balanceTx(ctx, tx, t.To); err != nil {
		return Receipt{}, err
	}
	if from < t.Amount {
		return Receipt{}, ErrInsufficientFunds
	}
	if err := move(ctx, tx, t.From, -t.Amount); err != nil {
		return Receipt{}, err
	}
	if err := move(ctx, tx, t.To, t.Amount); err != nil {
		return Receipt{}, err
	}
	ins, err := tx.PrepareContext(ctx, sqlInsertEntry)
	if err != nil {
		return Receipt{}, err
	}
	defer ins.Close() // ok: one statement, closed when applyTransfer returns
	for _, leg := range []Entry{{t.ID, t.From, -t.Amount}, {t.ID, t.To, t.Amount}} {
		if _, err := ins.ExecContext(ctx, leg.TransferID, leg.AccountID, leg.Amount); err != nil {
			return Receipt{}, err
		}
	}
	rcpt := Receipt{TransferID: t.ID, At: time.Now().UTC()}
	if t.Fee > 0 {
		// A failed fee must not fail the transfer: charge it in a savepoint.
		feeErr := Nested(ctx, tx, "fee", func() error {
			if err := move(ctx, tx, t.To, -t.Fee); err != nil {
				return err
			}
			if err := move(ctx, tx, FeeAccount, t.Fee); err != nil {
				return err
			}
			_, err := ins.ExecContext(ctx, t.ID, FeeAccount, t.Fee)
			return err
		})
		rcpt.FeeCharged = feeErr == nil
	}
	if rcpt.FromBalance, err = balanceTx(ctx, tx, t.From); err != nil {
		return Receipt{}, err
	}
	if rcpt.ToBalance, err = balanceTx(ctx, tx, t.To); err != nil {
		return Receipt{}, err
	}
	if err := outbox.Enqueue(ctx, tx, "transfer.completed", t); err != nil {
		return Receipt{}, err
	}
	return rcpt, nil
}

// Adjust applies a manual correction to one account.
func (s *Store) Adjust(ctx context.Context, id string, delta int64, reason string) error {
	defer s.locks.lock(id) // HAZ defer-func-result-not-called
	ref := s.newID()
	err := WithTx(ctx, s.db, nil, func(tx *sql.Tx) error {
		if err := move(ctx, tx, id, delta); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlInsertEntry, ref, id, delta); err != nil {
			return err
		}
		return outbox.Enqueue(ctx, tx, "account.adjusted", map[string]any{"account": id, "delta": delta, "reason": reason})
	})
	s.audit.Record("adjust", ref, err)
	return err
}

// Freeze moves an account's whole balance to the suspense account.
func (s *Store) Freeze(ctx context.Context, id string) (int64, error) {
	defer s.locks.lock(id)() // ok: lock now, release at exit
	var moved int64
	err := WithTx(ctx, s.db, nil, func(tx *sql.Tx) error {
		b, err := balanceTx(ctx, tx, id)
		if err != nil {
			return err
		}
		moved = b
		if err := move(ctx, tx, id, -b); err != nil {
			return err
		}
		return move(ctx, tx, "suspense", b)
	})
	if err != nil {
		return 0, err
	}
	s.invalidate(id, "suspense")
	return moved, nil
}

// BatchTransfer applies several transfers atomically.
func (s *Store) BatchTransfer(ctx context.Context, ts []Transfer) ([]Receipt, error) {
	for _, t := range ts {
		m := s.locks.get(t.From)
		m.Lock()
		defer m.Unlock() // HAZ defer-in-loop
	}
	out := make([]Receipt, 0, len(ts))
	err := s.RetryTx(ctx, 3, func(tx *sql.Tx) error {
		out = out[:0]
		for i, t := range ts {
			if t.ID == "" {
				t.ID = fmt.Sprintf("%s-%d", s.newID(), i)
			}
			r, err := applyTransfer(ctx, tx, t)
			if err != nil {
				return fmt.Errorf("transfer %d: %w", i, err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// BatchTransferLocked is BatchTransfer with the locks taken once, deduplicated.
func (s *Store) BatchTransferLocked(ctx context.Context, ts []Transfer) error {
	ids := make([]string, 0, 2*len(ts))
	for _, t := range ts {
		ids = append(ids, t.From, t.To)
	}
	defer s.locks.lockAll(ids)() // ok: f()() idiom
	return s.RetryTx(ctx, 3, func(tx *sql.Tx) error {
		for _, t := range ts {
			if t.ID == "" {
				t.ID = s.newID()
			}
			if _, err := applyTransfer(ctx, tx, t); err != nil {
				return err
			}
		}
		return nil
	})
}

// Reverse books the opposite of a committed transfer.
func (s *Store) Reverse(ctx context.Context, orig Transfer) (rcpt Receipt, err error) {
	defer s.audit.Record("reverse", orig.ID, err) // HAZ defer-eager-evaluation
	if orig.ID == "" {
		return Receipt{}, errors.New("reverse: transfer id required")
	}
	rev := Transfer{ID: orig.ID + "-rev", From: orig.To, To: orig.From, Amount: orig.Amount, Memo: "reversal of " + orig.ID}
	rcpt, err = s.Transfer(ctx, rev)
	return rcpt, err
}

// Refund is like Reverse but records the final outcome.
func (s *Store) Refund(ctx context.Context, orig Transfer, amount int64) (rcpt Receipt, err error) {
	defer func() { s.audit.Record("refund", orig.ID, err) }() // ok: closure reads the named result at exit
	if amount <= 0 || amount > orig.Amount {
		return Receipt{}, fmt.Errorf("refund: amount %d out of range", amount)
	}
	rcpt, err = s.Transfer(ctx, Transfer{ID: orig.ID + "-refund", From: orig.To, To: orig.From, Amount: amount})
	return rcpt, err
}

type total int64

func (t total) expect(l *log.Logger, before total) {
	if t != before {
		l.Printf("ledger: INVARIANT VIOLATION: total changed from %d to %d", before, t)
	}
}

func (s *Store) total(ctx context.Context) total {
	accts, err := s.Accounts(ctx)
	if err != nil {
		s.log.Printf("ledger: total: %v", err)
		return -1
	}
	var t total
	for _, a := range accts {
		t += total(a.Balance)
	}
	return t
}

// TransferChecked runs Transfer and verifies that no money was created or destroyed.
func (s *Store) TransferChecked(ctx context.Context, t Transfer) (Receipt, error) {
	before := s.total(ctx)
	defer s.total(ctx).expect(s.log, before) // HAZ defer-call-chain
	return s.Transfer(ctx, t)
}

// TransferVerified is TransferChecked with the after-total taken at exit.
func (s *Store) TransferVerified(ctx context.Context, t Transfer) (Receipt, error) {
	before := s.total(ctx)
	defer func() { s.total(ctx).expect(s.log, before) }() // ok: evaluated when the closure runs
	return s.Transfer(ctx, t)
}

// ApplyFee charges a maintenance fee to an account.
func (s *Store) ApplyFee(ctx context.Context, id string, fee int64) error {
	ref := s.newID()
	return s.retryInPlace(ctx, 4, func(tx *sql.Tx) error {
		if err := move(ctx, tx, id, -fee); err != nil {
			return err
		}
		if err := move(ctx, tx, FeeAccount, fee); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, sqlInsertEntry, ref, id, -fee)
		return err
	})
}

// ApplyFees charges several fees, each in its own savepoint.
func (s *Store) ApplyFees(ctx context.Context, fees map[string]int64) error {
	return s.retryEach(ctx, 4, func(tx *sql.Tx) error {
		steps := make(map[string]func() error, len(fees))
		for id, fee := range fees {
			steps["fee_"+id] = func() error { // ok: Go 1.22 per-iteration id and fee
				if err := move(ctx, tx, id, -fee); err != nil {
					return err
				}
				return move(ctx, tx, FeeAccount, fee)
			}
		}
		return nestedAll(ctx, tx, steps)
	})
}

// ImportOpening creates accounts in batches, one savepoint per account.
func (s *Store) ImportOpening(ctx context.Context, accts []Account) error {
	return WithTx(ctx, s.db, nil, func(tx *sql.Tx) error {
		for _, a := range accts {
			err := withSavepoint(ctx, tx, "acct", func() error {
				_, err := tx.ExecContext(ctx, sqlInsertAccount, a.ID, a.Balance)
				return err
			})
			if err != nil {
				return fmt.Errorf("import %s: %w", a.ID, err)
			}
		}
		return nil
	})
}
