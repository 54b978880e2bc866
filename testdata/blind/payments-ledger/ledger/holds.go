package ledger

import (
	"sync"
	"sync/atomic"
)

// HoldBook tracks funds that are reserved by in-flight authorisations. It is
// lock-free so that releasing a hold from a deferred call never waits.
type HoldBook struct {
	holds  sync.Map // entry ID -> hold
	totals sync.Map // AccountID -> *atomic.Int64
}

type hold struct {
	account AccountID
	amount  Amount
}

// NewHoldBook returns an empty hold book.
func NewHoldBook() *HoldBook { return &HoldBook{} }

func (h *HoldBook) total(id AccountID) *atomic.Int64 {
	v, _ := h.totals.LoadOrStore(id, new(atomic.Int64))
	return v.(*atomic.Int64)
}

// Place reserves amount on account for entryID and returns the function that
// releases the hold. Releasing twice is harmless.
func (h *HoldBook) Place(entryID string, account AccountID, amount Amount) func() {
	h.holds.Store(entryID, hold{account: account, amount: amount})
	h.total(account).Add(int64(amount))
	return func() { h.release(entryID) }
}

func (h *HoldBook) release(entryID string) {
	v, ok := h.holds.LoadAndDelete(entryID)
	if !ok {
		return
	}
	hd := v.(hold)
	h.total(hd.account).Add(-int64(hd.amount))
}

// Held reports the funds currently reserved on account.
func (h *HoldBook) Held(account AccountID) Amount {
	return Amount(h.total(account).Load())
}
