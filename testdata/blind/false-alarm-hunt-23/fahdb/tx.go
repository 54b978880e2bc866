package fahdb

import (
	"context"
	"errors"
	"fmt"
	"io"

	"example.com/fah23/internal/wire"
)

var (
	errTxDone = errors.New("fahdb: transaction already finished")

	// ErrCommitUnknown means the connection broke after COMMIT was sent:
	// the transaction may or may not have been applied.
	ErrCommitUnknown = errors.New("fahdb: connection lost during commit, outcome unknown")
)

// Tx is an open transaction on a Conn.
type Tx struct {
	c    *Conn
	done bool
}

// Commit implements driver.Tx. A connection lost while the COMMIT was in
// flight must be reported as ErrCommitUnknown so callers do not retry blindly.
func (tx *Tx) Commit() error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("%w: %v", ErrCommitUnknown, err)
		}
	}()
	err = tx.finish(wire.KindCommit)
	return err
}

// Rollback implements driver.Tx.
func (tx *Tx) Rollback() (err error) {
	defer func() {
		if err != nil && !errors.Is(err, errTxDone) {
			err = fmt.Errorf("fahdb: rollback: %w", err)
		}
	}()
	return tx.finish(wire.KindRollback)
}

func (tx *Tx) finish(kind wire.Kind) error {
	if tx.done {
		return errTxDone
	}
	tx.done = true
	_, err := tx.c.roundTrip(context.Background(), wire.Frame{Kind: kind})
	tx.c.leaveTx()
	return err
}
