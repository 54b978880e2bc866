// Package ledger implements double-entry bookkeeping on top of store.Store.
package ledger

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AccountID names a ledger account, e.g. "merchant:42:available".
type AccountID string

// Amount is a signed quantity in minor units (cents). Debits are negative.
type Amount int64

var (
	ErrUnbalanced        = errors.New("ledger: postings do not balance")
	ErrDuplicate         = errors.New("ledger: entry already posted")
	ErrNotFound          = errors.New("ledger: entry not found")
	ErrInsufficientFunds = errors.New("ledger: insufficient funds")
)

func (a Amount) String() string {
	sign := ""
	if a < 0 {
		sign = "-"
		a = -a
	}
	return fmt.Sprintf("%s%d.%02d", sign, a/100, a%100)
}

// ParseAmount parses "12", "12.3" or "-12.34" into minor units.
func ParseAmount(s string) (Amount, error) {
	neg := strings.HasPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	if whole == "" {
		return 0, fmt.Errorf("ledger: bad amount %q", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 {
		return 0, fmt.Errorf("ledger: bad amount %q", s)
	}
	var f int64
	if hasFrac {
		if len(frac) == 0 || len(frac) > 2 {
			return 0, fmt.Errorf("ledger: amount %q must have one or two decimals", s)
		}
		if len(frac) == 1 {
			frac += "0"
		}
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil || f < 0 {
			return 0, fmt.Errorf("ledger: bad amount %q", s)
		}
	}
	a := Amount(w*100 + f)
	if neg {
		a = -a
	}
	return a, nil
}

// Posting moves Amount into (positive) or out of (negative) Account.
type Posting struct {
	Account  AccountID `json:"account"`
	Amount   Amount    `json:"amount"`
	Currency string    `json:"currency"`
}

// Entry is a journal entry: postings that sum to zero per currency.
type Entry struct {
	ID       string    `json:"id"`
	Postings []Posting `json:"postings"`
	Memo     string    `json:"memo,omitempty"`
	PostedAt time.Time `json:"posted_at"`
}

// Validate checks the double-entry invariants.
func (e Entry) Validate() error {
	if e.ID == "" {
		return errors.New("ledger: entry has no id")
	}
	if len(e.Postings) < 2 {
		return fmt.Errorf("ledger: entry %s needs at least two postings", e.ID)
	}
	sums := make(map[string]Amount)
	for i, p := range e.Postings {
		if p.Account == "" || p.Currency == "" {
			return fmt.Errorf("ledger: entry %s posting %d is incomplete", e.ID, i)
		}
		if p.Amount == 0 {
			return fmt.Errorf("ledger: entry %s posting %d has zero amount", e.ID, i)
		}
		sums[p.Currency] += p.Amount
	}
	for cur, sum := range sums {
		if sum != 0 {
			return fmt.Errorf("%w: entry %s is off by %s %s", ErrUnbalanced, e.ID, sum, cur)
		}
	}
	return nil
}

func (e Entry) accounts() []AccountID {
	seen := make(map[AccountID]bool, len(e.Postings))
	out := make([]AccountID, 0, len(e.Postings))
	for _, p := range e.Postings {
		if !seen[p.Account] {
			seen[p.Account] = true
			out = append(out, p.Account)
		}
	}
	return out
}

// amountFor sums the postings of e on account id.
func (e Entry) amountFor(id AccountID) Amount {
	var sum Amount
	for _, p := range e.Postings {
		if p.Account == id {
			sum += p.Amount
		}
	}
	return sum
}

// Reversed returns the entry that cancels e.
func (e Entry) Reversed(id string, at time.Time) Entry {
	rev := Entry{ID: id, Memo: "reversal of " + e.ID, PostedAt: at}
	rev.Postings = make([]Posting, len(e.Postings))
	for i, p := range e.Postings {
		p.Amount = -p.Amount
		rev.Postings[i] = p
	}
	return rev
}

func transferEntry(id string, from, to AccountID, amt Amount, currency string, at time.Time) Entry {
	return Entry{
		ID: id,
		Postings: []Posting{
			{Account: from, Amount: -amt, Currency: currency},
			{Account: to, Amount: amt, Currency: currency},
		},
		Memo:     fmt.Sprintf("transfer %s -> %s", from, to),
		PostedAt: at,
	}
}
