// Package freelist tracks reusable pages. Pages freed by a write
// transaction stay pending until no reader can still reach them.
//
// The freelist is owned by the single writer; callers serialise access.
package freelist

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

	"example.com/ekv/internal/page"
)

// ErrTooLarge is returned when the list does not fit in one page.
var ErrTooLarge = errors.New("freelist: does not fit in a page")

// Freelist holds free page ids (sorted) and pending ids by freeing txid.
type Freelist struct {
	ids     []page.ID
	pending map[uint64][]page.ID
}

// New returns an empty freelist.
func New() *Freelist {
	return &Freelist{pending: make(map[uint64][]page.ID)}
}

// Count returns the number of free plus pending pages.
func (f *Freelist) Count() int {
	n := len(f.ids)
	for _, ids := range f.pending {
		n += len(ids)
	}
	return n
}

// FreeCount returns the number of immediately reusable pages.
func (f *Freelist) FreeCount() int { return len(f.ids) }

// Allocate returns a free page id, or 0 when none is available (page 0 is
// a meta page and never free).
func (f *Freelist) Allocate() page.ID {
	if len(f.ids) == 0 {
		return 0
	}
	id := f.ids[0]
	f.ids = f.ids[1:]
	return id
}

// Free marks id as freed by txid. It becomes allocatable after Release.
func (f *Freelist) Free(txid uint64, id page.ID) {
	if id <= page.MetaB {
		panic(fmt.Sprintf("freelist: cannot free meta page %d", id))
	}
	f.pending[txid] = append(f.pending[txid], id)
}

// Release makes every page freed by transactions <= txid allocatable.
func (f *Freelist) Release(txid uint64) int {
	var released []page.ID
	for tid, ids := range f.pending {
		if tid <= txid {
			released = append(released, ids...)
			delete(f.pending, tid)
		}
	}
	if len(released) == 0 {
		return 0
	}
	sort.Slice(released, func(i, j int) bool { return released[i] < released[j] })
	f.ids = mergeSorted(f.ids, released)
	return len(released)
}

// Rollback forgets the pages freed by txid and gives back pages that the
// transaction took from the list.
func (f *Freelist) Rollback(txid uint64, taken []page.ID) {
	delete(f.pending, txid)
	if len(taken) == 0 {
		return
	}
	back := append([]page.ID(nil), taken...)
	sort.Slice(back, func(i, j int) bool { return back[i] < back[j] })
	f.ids = mergeSorted(f.ids, back)
}

func mergeSorted(a, b []page.ID) []page.ID {
	out := make([]page.ID, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i] <= b[j] {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// Encode writes every free and pending id into a freelist page. Pending
// ids are written as free: after a restart no reader can hold them.
func (f *Freelist) Encode(id page.ID, buf []byte) error {
	all := append([]page.ID(nil), f.ids...)
	for _, ids := range f.pending {
		all = append(all, ids...)
	}
	if page.HeaderSize+8*len(all) > len(buf) {
		return fmt.Errorf("%w: %d ids", ErrTooLarge, len(all))
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	page.Header{ID: id, Flags: page.FlagFreelist, Count: uint16(len(all))}.Encode(buf)
	body := buf[page.HeaderSize:]
	for i, pid := range all {
		binary.LittleEndian.PutUint64(body[i*8:], uint64(pid))
	}
	return nil
}

// Decode reads a freelist page.
func Decode(buf []byte) (*Freelist, error) {
	h, err := page.DecodeHeader(buf)
	if err != nil {
		return nil, err
	}
	if h.Flags&page.FlagFreelist == 0 {
		return nil, fmt.Errorf("freelist: page %d has type %s", h.ID, h.Type())
	}
	f := New()
	body := buf[page.HeaderSize:]
	if int(h.Count)*8 > len(body) {
		return nil, fmt.Errorf("freelist: page %d count %d overflows page", h.ID, h.Count)
	}
	f.ids = make([]page.ID, h.Count)
	for i := range f.ids {
		f.ids[i] = page.ID(binary.LittleEndian.Uint64(body[i*8:]))
	}
	return f, nil
}

// IDs returns a copy of the allocatable ids, for verification.
func (f *Freelist) IDs() []page.ID {
	return append([]page.ID(nil), f.ids...)
}
