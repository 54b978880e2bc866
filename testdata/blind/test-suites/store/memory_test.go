package store

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"example.com/testsuites/clock"
	"example.com/testsuites/internal/testutil"
	"example.com/testsuites/order"
)

func newMemory(t *testing.T) (*Memory, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(testutil.Epoch)
	return NewMemory(clk), clk
}

func mustCreate(t *testing.T, m *Memory, customer string) order.Order {
	t.Helper()
	o, err := m.Create(testutil.SampleOrder(customer, 2))
	if err != nil {
		t.Fatalf("Create(%s): %v", customer, err)
	}
	return o
}

func TestMemoryCreateAssignsIDs(t *testing.T) {
	m, _ := newMemory(t)
	a := mustCreate(t, m, "ada")
	b := mustCreate(t, m, "grace")
	if a.ID == "" || a.ID == b.ID {
		t.Fatalf("ids not unique: %q %q", a.ID, b.ID)
	}
	if a.Status != order.StatusNew || !a.Created.Equal(testutil.Epoch) {
		t.Fatalf("unexpected order %+v", a)
	}
	if m.Len() != 2 {
		t.Fatalf("Len() = %d", m.Len())
	}
}

func TestMemoryCreateRejectsInvalid(t *testing.T) {
	m, _ := newMemory(t)
	if _, err := m.Create(order.Order{Customer: "ada"}); !errors.Is(err, order.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	if m.Len() != 0 {
		t.Fatal("invalid order was stored")
	}
}

func TestMemoryGet(t *testing.T) {
	m, _ := newMemory(t)
	stored := mustCreate(t, m, "ada")
	tests := []struct {
		name    string
		id      string
		wantErr error
	}{
		{"existing", stored.ID, nil},
		{"missing", "ord-nope", ErrNotFound},
		{"empty id", "", ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := m.Get(tc.id)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Get(%q) error = %v, want %v", tc.id, err, tc.wantErr)
			}
			if tc.wantErr == nil && got.ID != tc.id {
				t.Fatalf("Get(%q) returned %q", tc.id, got.ID)
			}
		})
	}
}

func TestMemoryGetReturnsCopy(t *testing.T) {
	m, _ := newMemory(t)
	o := mustCreate(t, m, "ada")
	got, _ := m.Get(o.ID)
	got.Items[0].Qty = 1000
	again, _ := m.Get(o.ID)
	if again.Items[0].Qty == 1000 {
		t.Fatal("Get exposes the stored items slice")
	}
}

func TestMemoryInsertDuplicate(t *testing.T) {
	m, _ := newMemory(t)
	o := testutil.SampleOrders(1)[0]
	if err := m.Insert(o); err != nil {
		t.Fatal(err)
	}
	if err := m.Insert(o); !errors.Is(err, ErrExists) {
		t.Fatalf("second Insert = %v, want ErrExists", err)
	}
	o.ID = ""
	if err := m.Insert(o); !errors.Is(err, order.ErrInvalid) {
		t.Fatalf("Insert without id = %v", err)
	}
}

func TestMemoryTransition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		steps []order.Status
		want  order.Status
		fails bool
	}{
		{"pay", []order.Status{order.StatusPaid}, order.StatusPaid, false},
		{"pay and ship", []order.Status{order.StatusPaid, order.StatusShipped}, order.StatusShipped, false},
		{"cancel new", []order.Status{order.StatusCancelled}, order.StatusCancelled, false},
		{"ship unpaid", []order.Status{order.StatusShipped}, order.StatusNew, true},
		{"reopen", []order.Status{order.StatusCancelled, order.StatusPaid}, order.StatusCancelled, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, clk := newMemory(t)
			o := mustCreate(t, m, "ada")
			var err error
			for _, st := range tc.steps {
				clk.Advance(time.Minute)
				if _, err = m.Transition(o.ID, st); err != nil {
					break
				}
			}
			if (err != nil) != tc.fails {
				t.Fatalf("err = %v, fails = %v", err, tc.fails)
			}
			got, _ := m.Get(o.ID)
			if got.Status != tc.want {
				t.Fatalf("status = %s, want %s", got.Status, tc.want)
			}
		})
	}
}

func TestMemoryTransitionMissing(t *testing.T) {
	m, _ := newMemory(t)
	if _, err := m.Transition("ord-404", order.StatusPaid); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
}

func TestMemoryConcurrentCreates(t *testing.T) {
	m, _ := newMemory(t)
	const n = 32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := m.Create(testutil.SampleOrder(fmt.Sprintf("c%d", i), 1)); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if m.Len() != n {
		t.Fatalf("Len() = %d, want %d", m.Len(), n)
	}
}

func TestMemoryConcurrentTransitions(t *testing.T) {
	m, _ := newMemory(t)
	ids := make([]string, 8)
	for i := range ids {
		ids[i] = mustCreate(t, m, "ada").ID
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for _, id := range ids {
		wg.Add(1)
		go func() {
			if _, err := m.Transition(id, order.StatusPaid); err != nil {
				errs <- err
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestMemoryOnChangeSeesTransitions(t *testing.T) {
	m, _ := newMemory(t)
	var mu sync.Mutex
	var seen []order.Status
	m.OnChange(func(o order.Order) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, o.Status)
	})
	o := mustCreate(t, m, "ada")
	if _, err := m.Transition(o.ID, order.StatusPaid); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 || seen[0] != order.StatusNew || seen[1] != order.StatusPaid {
		t.Fatalf("hooks saw %v", seen)
	}
}

func TestMemoryListFilterSorted(t *testing.T) {
	m, _ := newMemory(t)
	for _, o := range testutil.SampleOrders(9) {
		if err := m.Insert(o); err != nil {
			t.Fatal(err)
		}
	}
	got := m.List(func(o order.Order) bool { return o.Customer == "grace" })
	if len(got) != 3 {
		t.Fatalf("List returned %d orders, want 3", len(got))
	}
	for i := 1; i < len(got); i++ {
		if got[i-1].ID >= got[i].ID {
			t.Fatalf("List not sorted: %s before %s", got[i-1].ID, got[i].ID)
		}
	}
	if all := m.List(nil); len(all) != 9 {
		t.Fatalf("List(nil) = %d orders", len(all))
	}
}

func TestMemoryRestoreReplacesContent(t *testing.T) {
	m, _ := newMemory(t)
	mustCreate(t, m, "old")
	m.Restore(testutil.SampleOrders(4))
	if m.Len() != 4 {
		t.Fatalf("Len() = %d after Restore", m.Len())
	}
	if got := m.List(func(o order.Order) bool { return o.Customer == "old" }); len(got) != 0 {
		t.Fatal("Restore kept old orders")
	}
}

func TestMemoryStatsPublish(t *testing.T) {
	m, _ := newMemory(t)
	a := mustCreate(t, m, "ada")
	mustCreate(t, m, "grace")
	if _, err := m.Transition(a.ID, order.StatusPaid); err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	m.Stats().Publish(&sb)
	want := fmt.Sprintf("orders=2 revenue_cents=%d new=1 paid=1\n", a.Total())
	if sb.String() != want {
		t.Fatalf("Publish = %q, want %q", sb.String(), want)
	}
}

func TestCancelAllSafe(t *testing.T) {
	m, _ := newMemory(t)
	a := mustCreate(t, m, "ada")
	mustCreate(t, m, "ada")
	mustCreate(t, m, "grace")
	if _, err := m.Transition(a.ID, order.StatusPaid); err != nil {
		t.Fatal(err)
	}
	n, err := m.CancelAllSafe("ada")
	if err != nil || n != 2 {
		t.Fatalf("CancelAllSafe = %d, %v; want 2, nil", n, err)
	}
	if again, _ := m.CancelAllSafe("ada"); again != 0 {
		t.Fatalf("second CancelAllSafe cancelled %d", again)
	}
}

func TestImportAndReport(t *testing.T) {
	m, _ := newMemory(t)
	var sb strings.Builder
	if err := m.ImportAndReport(testutil.SampleOrders(3), &sb); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sb.String(), "orders=3 ") {
		t.Fatalf("report = %q", sb.String())
	}
	sb.Reset()
	err := m.ImportAndReport(testutil.SampleOrders(1), &sb)
	if !errors.Is(err, ErrExists) || !strings.HasPrefix(sb.String(), "orders=3 ") {
		t.Fatalf("duplicate import: err = %v, report = %q", err, sb.String())
	}
}
