package store

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// OrderRequest is an incoming order.
type OrderRequest struct {
	Account string  `json:"account"`
	Symbol  string  `json:"symbol"`
	Side    string  `json:"side"`
	Qty     int64   `json:"qty"`
	Limit   float64 `json:"limit"`
}

// Order is an accepted order.
type Order struct {
	ID      string       `json:"id"`
	Req     OrderRequest `json:"req"`
	Created time.Time    `json:"created"`
	Status  string       `json:"status"`
}

// Account is a trading account.
type Account struct {
	Frozen   bool
	MaxValue float64
}

const (
	maxQty          = 1_000_000
	snapshotVersion = 3
)

var (
	errMissingAccount = errors.New("missing account")
	errMissingSymbol  = errors.New("missing symbol")
	errBadQty         = errors.New("quantity must be positive")
	errQtyTooLarge    = errors.New("quantity too large")
	errBadSide        = errors.New("side must be buy or sell")
	errUnknownAccount = errors.New("unknown account")
	errFrozen         = errors.New("account frozen")
	errBadLimit       = errors.New("limit price must be positive")
	errTooLarge       = errors.New("order exceeds account limit")
	errNotFound       = errors.New("order not found")
	errNotOpen        = errors.New("order is not open")
	errNotEmpty       = errors.New("store is not empty")
)

// OrderService validates and stores orders.
type OrderService struct {
	tracer   *Tracer
	mu       sync.Mutex
	seq      int64
	accounts map[string]Account
	orders   map[string]*Order
	inflight atomic.Int64
	replayMu sync.Mutex
	replayFn func(ctx context.Context, since time.Time) (int, error)
}

// CreateOrder validates req and stores it. Two defers times nine returns is
// far over the open-coding budget, so both defers are heap/stack records.
func (s *OrderService) CreateOrder(ctx context.Context, req OrderRequest) (*Order, error) {
	sp := s.tracer.Start("CreateOrder")
	defer sp.End() // HAZ defer-not-open-coded
	s.mu.Lock()
	defer s.mu.Unlock()

	if req.Account == "" {
		return nil, errMissingAccount
	}
	if req.Symbol == "" {
		return nil, errMissingSymbol
	}
	if req.Qty <= 0 {
		return nil, errBadQty
	}
	if req.Qty > maxQty {
		return nil, errQtyTooLarge
	}
	if req.Side != "buy" && req.Side != "sell" {
		return nil, errBadSide
	}
	acct, ok := s.accounts[req.Account]
	if !ok {
		return nil, errUnknownAccount
	}
	if acct.Frozen {
		return nil, errFrozen
	}
	if req.Limit <= 0 || float64(req.Qty)*req.Limit > acct.MaxValue {
		return nil, errTooLarge
	}
	s.seq++
	o := &Order{ID: "o-" + strconv.FormatInt(s.seq, 10), Req: req, Created: time.Now(), Status: "open"}
	s.orders[o.ID] = o
	return o, nil
}

// AmendOrder changes quantity and limit of an open order. Three defers times
// five returns is exactly 15: still open-coded.
func (s *OrderService) AmendOrder(id string, qty int64, limit float64) (*Order, error) {
	sp := s.tracer.Start("AmendOrder")
	defer sp.End()
	s.inflight.Add(1)
	defer s.inflight.Add(-1)
	s.mu.Lock()
	defer s.mu.Unlock() // ok: 3 defers x 5 returns = 15

	o, ok := s.orders[id]
	if !ok {
		return nil, errNotFound
	}
	if o.Status != "open" {
		return nil, errNotOpen
	}
	if qty <= 0 || qty > maxQty {
		return nil, errBadQty
	}
	if limit <= 0 {
		return nil, errBadLimit
	}
	o.Req.Qty, o.Req.Limit = qty, limit
	return o, nil
}

type snapshot struct {
	Version int               `json:"version"`
	Orders  map[string]*Order `json:"orders"`
}

// LoadSnapshot loads a gzip'ed JSON snapshot into an empty store. Three
// defers times six returns = 18.
func (s *OrderService) LoadSnapshot(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("snapshot %s: %w", path, err)
	}
	defer zr.Close() // HAZ defer-not-open-coded
	var snap snapshot
	if err := json.NewDecoder(zr).Decode(&snap); err != nil {
		return fmt.Errorf("snapshot %s: %w", path, err)
	}
	if snap.Version != snapshotVersion {
		return fmt.Errorf("snapshot %s: version %d, want %d", path, snap.Version, snapshotVersion)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.orders) > 0 {
		return errNotEmpty
	}
	for id, o := range snap.Orders {
		s.orders[id] = o
	}
	return nil
}

// handleReplay replays the order journal from a point in time. Four defers
// times four returns = 16.
func (s *OrderService) handleReplay(w http.ResponseWriter, r *http.Request) {
	sp := s.tracer.Start("replay")
	defer sp.End()
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	s.inflight.Add(1)
	defer s.inflight.Add(-1)
	s.replayMu.Lock()
	defer s.replayMu.Unlock() // HAZ defer-not-open-coded

	from := r.URL.Query().Get("from")
	if from == "" {
		http.Error(w, "missing ?from=", http.StatusBadRequest)
		return
	}
	since, err := time.Parse(time.RFC3339, from)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	n, err := s.replayFn(ctx, since)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if n == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	fmt.Fprintf(w, "replayed %d journal entries\n", n)
}

// ChecksumAll hashes every file. The defer in the loop keeps every file open
// until the function returns, and it also rules out open-coded defers for
// the whole function.
func ChecksumAll(tr *Tracer, paths []string) (map[string]string, error) {
	sp := tr.Start("ChecksumAll")
	defer sp.End() // HAZ defer-not-open-coded
	sums := make(map[string]string, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, err
		}
		sums[p] = hex.EncodeToString(h.Sum(nil))
	}
	return sums, nil
}

func checksumFile(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ChecksumAllScoped is the fixed ChecksumAll: the per-file defer lives in a
// function literal, so the loop body holds no defer of this function.
func ChecksumAllScoped(tr *Tracer, paths []string) (map[string]string, error) {
	sp := tr.Start("ChecksumAllScoped")
	defer sp.End() // ok: the only defer of this function, outside any loop
	sums := make(map[string]string, len(paths))
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close() // ok: in a function literal
			h := sha256.New()
			if _, err := io.Copy(h, f); err != nil {
				return err
			}
			sums[p] = hex.EncodeToString(h.Sum(nil))
			return nil
		}()
		if err != nil {
			return nil, err
		}
	}
	return sums, nil
}

// VerifyAll checks files against expected sums, skipping the ones that do
// not exist. There is a loop, but the function's only defer is before it.
func (s *OrderService) VerifyAll(want map[string]string) (int, error) {
	sp := s.tracer.Start("VerifyAll")
	defer sp.End() // ok: not in the loop; 1 defer x 4 returns
	if len(want) == 0 {
		return 0, nil
	}
	paths := make([]string, 0, len(want))
	for p := range want {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	checked := 0
	for _, p := range paths {
		got, err := checksumFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return checked, err
		}
		if got != want[p] {
			return checked, fmt.Errorf("%s: checksum mismatch", p)
		}
		checked++
	}
	return checked, nil
}

// RefreshAccounts reloads every account concurrently. The loop starts
// goroutines whose defers belong to their own function literals; this
// function has a single defer.
func (s *OrderService) RefreshAccounts(ctx context.Context, load func(context.Context, string) (Account, error)) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel() // ok: the only defer of this function
	s.mu.Lock()
	ids := make([]string, 0, len(s.accounts))
	for id := range s.accounts {
		ids = append(ids, id)
	}
	s.mu.Unlock()

	var wg sync.WaitGroup
	var errMu sync.Mutex
	var errs error
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done() // ok: in a function literal
			a, err := load(ctx, id)
			if err != nil {
				errMu.Lock()
				errs = errors.Join(errs, err)
				errMu.Unlock()
				return
			}
			s.mu.Lock()
			s.accounts[id] = a
			s.mu.Unlock()
		}()
	}
	wg.Wait()
	if errs != nil {
		return fmt.Errorf("refresh accounts: %w", errs)
	}
	return nil
}

// OpenOrders returns the open orders sorted by a multi-key order. The many
// returns live in the comparator literal, not in this function.
func (s *OrderService) OpenOrders(account string) ([]Order, error) {
	sp := s.tracer.Start("OpenOrders")
	defer sp.End()
	s.mu.Lock()
	defer s.mu.Unlock() // ok: 2 defers x 2 returns; the comparator's returns are its own
	if _, ok := s.accounts[account]; !ok {
		return nil, errUnknownAccount
	}
	var out []Order
	for _, o := range s.orders {
		if o.Req.Account == account && o.Status == "open" {
			out = append(out, *o)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Req, out[j].Req
		if a.Symbol != b.Symbol {
			return a.Symbol < b.Symbol
		}
		if a.Side != b.Side {
			return a.Side == "buy"
		}
		if a.Limit != b.Limit {
			if a.Side == "buy" {
				return a.Limit > b.Limit
			}
			return a.Limit < b.Limit
		}
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		if a.Qty != b.Qty {
			return a.Qty > b.Qty
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// CancelOrder cancels an open order. The span is only started when tracing
// is configured; the defers are conditional, not in a loop.
func (s *OrderService) CancelOrder(id string) error {
	if s.tracer != nil {
		sp := s.tracer.Start("CancelOrder")
		defer sp.End() // ok: conditional defer, 2 defers x 3 returns
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return errNotFound
	}
	if o.Status != "open" {
		return errNotOpen
	}
	o.Status = "cancelled"
	return nil
}
