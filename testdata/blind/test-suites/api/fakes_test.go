package api

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"example.com/testsuites/internal/testutil"
	"example.com/testsuites/notify"
	"example.com/testsuites/order"
	"example.com/testsuites/store"
)

// fakeRepo is a minimal Repo whose reads can be stalled by a test.
type fakeRepo struct {
	mu     sync.Mutex
	orders map[string]order.Order
	seq    int
	stall  chan struct{}
}

func newFakeRepo(orders ...order.Order) *fakeRepo {
	r := &fakeRepo{orders: make(map[string]order.Order)}
	for _, o := range orders {
		r.orders[o.ID] = o
	}
	return r
}

func (r *fakeRepo) Get(id string) (order.Order, error) {
	if r.stall != nil {
		<-r.stall
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	o, ok := r.orders[id]
	if !ok {
		return order.Order{}, fmt.Errorf("%w: %s", store.ErrNotFound, id)
	}
	return o, nil
}

func (r *fakeRepo) Create(o order.Order) (order.Order, error) {
	if err := o.Validate(); err != nil {
		return order.Order{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	o.ID = fmt.Sprintf("ord-%d", r.seq)
	o.Status = order.StatusNew
	o.Created, o.Updated = testutil.Epoch, testutil.Epoch
	r.orders[o.ID] = o
	return o, nil
}

func (r *fakeRepo) Transition(id string, to order.Status) (order.Order, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	o, ok := r.orders[id]
	if !ok {
		return order.Order{}, fmt.Errorf("%w: %s", store.ErrNotFound, id)
	}
	if err := o.Transition(to, testutil.Epoch); err != nil {
		return order.Order{}, err
	}
	r.orders[id] = o
	return o, nil
}

func (r *fakeRepo) List(filter func(order.Order) bool) []order.Order {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []order.Order
	for _, o := range r.orders {
		if filter == nil || filter(o) {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// fakePublisher records the events it is asked to send.
type fakePublisher struct {
	mu     sync.Mutex
	events []notify.Event
	err    error
}

func (p *fakePublisher) Send(_ context.Context, ev notify.Event) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	p.events = append(p.events, ev)
	return nil
}

func (p *fakePublisher) Sent() []notify.Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]notify.Event(nil), p.events...)
}
