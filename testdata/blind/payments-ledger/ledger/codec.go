package ledger

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"example.com/payments/store"
)

func entryKey(id string) string { return "entry/" + id }

func balanceKey(id AccountID) string { return "balance/" + string(id) }

func readBalance(tx store.Tx, id AccountID) (Amount, error) {
	raw, ok := tx.Get(balanceKey(id))
	if !ok {
		return 0, nil
	}
	if len(raw) != 8 {
		return 0, fmt.Errorf("ledger: corrupt balance for %s: %d bytes", id, len(raw))
	}
	return Amount(int64(binary.BigEndian.Uint64(raw))), nil
}

func writeBalance(tx store.Tx, id AccountID, a Amount) {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(a))
	tx.Put(balanceKey(id), buf[:])
}

func readEntry(tx store.Tx, id string) (Entry, error) {
	raw, ok := tx.Get(entryKey(id))
	if !ok {
		return Entry{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	var e Entry
	if err := json.Unmarshal(raw, &e); err != nil {
		return Entry{}, fmt.Errorf("ledger: decode entry %s: %w", id, err)
	}
	return e, nil
}

// applyEntry books e inside tx: it refuses duplicates, moves every balance and
// stores the entry itself.
func applyEntry(tx store.Tx, e Entry) error {
	if _, exists := tx.Get(entryKey(e.ID)); exists {
		return fmt.Errorf("%w: %s", ErrDuplicate, e.ID)
	}
	for _, p := range e.Postings {
		bal, err := readBalance(tx, p.Account)
		if err != nil {
			return err
		}
		writeBalance(tx, p.Account, bal+p.Amount)
	}
	raw, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("ledger: encode entry %s: %w", e.ID, err)
	}
	tx.Put(entryKey(e.ID), raw)
	return nil
}
