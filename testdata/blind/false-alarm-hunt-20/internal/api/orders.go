package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah20/internal/pool"
	"example.com/fah20/internal/web"
)

// Order is a customer order.
type Order struct {
	ID     string  `json:"id"`
	UserID string  `json:"user_id"`
	Amount float64 `json:"amount"`
	Status string  `json:"status"`
}

// OrderStore is the in-memory order table.
type OrderStore struct {
	mu     sync.Mutex
	byID   map[string]Order
	nextID atomic.Int64
}

// NewOrderStore returns an empty store.
func NewOrderStore() *OrderStore { return &OrderStore{byID: make(map[string]Order)} }

// Insert assigns an ID to o and stores it.
func (s *OrderStore) Insert(o Order) (Order, error) {
	if o.Amount <= 0 {
		return Order{}, &web.HTTPError{Code: http.StatusUnprocessableEntity, Message: "amount must be positive"}
	}
	o.ID = fmt.Sprintf("o-%06d", s.nextID.Add(1))
	o.Status = "open"
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byID[o.ID] = o
	return o, nil
}

// Cancel marks an open order cancelled.
func (s *OrderStore) Cancel(id string) (Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byID[id]
	if !ok {
		return Order{}, ErrNotFound
	}
	if o.Status != "open" {
		return Order{}, &web.HTTPError{Code: http.StatusConflict, Message: "order is " + o.Status}
	}
	o.Status = "cancelled"
	s.byID[id] = o
	return o, nil
}

// Get returns the order with the given ID.
func (s *OrderStore) Get(id string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byID[id]
	return o, ok
}

// refundable checks that the order exists and was cancelled.
func (s *OrderStore) refundable(id string) error {
	o, ok := s.Get(id)
	if !ok {
		return ErrNotFound
	}
	if o.Status != "cancelled" {
		return &web.HTTPError{Code: http.StatusConflict, Message: "only cancelled orders are refunded"}
	}
	return nil
}

// Refund marks a cancelled order refunded.
func (s *OrderStore) Refund(id string) (Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refundable(id); err != nil { // HAZ lock-reentry-under-defer
		return Order{}, err
	}
	o := s.byID[id]
	o.Status = "refunded"
	s.byID[id] = o
	return o, nil
}

// shippableLocked reports why o cannot ship, if it cannot. s.mu must be held.
func (s *OrderStore) shippableLocked(o Order) error {
	if o.Status != "open" {
		return &web.HTTPError{Code: http.StatusConflict, Message: "order is " + o.Status}
	}
	return nil
}

// Ship marks an open order shipped.
func (s *OrderStore) Ship(id string) (Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byID[id]
	if !ok {
		return Order{}, ErrNotFound
	}
	if err := s.shippableLocked(o); err != nil {
		return Order{}, err
	}
	o.Status = "shipped"
	s.byID[id] = o
	return o, nil
}

// changedSince returns the orders whose status differs from seen and
// updates seen.
func (s *OrderStore) changedSince(seen map[string]string) []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Order
	for id, o := range s.byID {
		if seen[id] != o.Status {
			seen[id] = o.Status
			out = append(out, o)
		}
	}
	return out
}

// Watch sends every status change to ch, polling once a second, until ctx
// is done.
func (s *OrderStore) Watch(ctx context.Context, ch chan<- Order) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	seen := map[string]string{}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, o := range s.changedSince(seen) {
			select {
			case ch <- o:
			case <-ctx.Done():
				return
			}
		}
	}
}

// notifyWebhook posts an event to the partner webhook and waits for the answer.
func (a *API) notifyWebhook(event string, payload any) {
	body, err := json.Marshal(notification{Event: event, Payload: payload})
	if err != nil {
		a.logger.Printf("webhook: encoding %s: %v", event, err)
		return
	}
	resp, err := a.client.Post(a.webhookURL, "application/json", bytes.NewReader(body))
	if err != nil {
		a.logger.Printf("webhook: %s: %v", event, err)
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		a.logger.Printf("webhook: %s: partner answered %s", event, resp.Status)
	}
}

// enqueueNotify hands an event to the background notifier without waiting;
// when the queue is full the event is counted and dropped.
func (a *API) enqueueNotify(event string, payload any) {
	select {
	case a.notifications <- notification{Event: event, Payload: payload}:
	default:
		a.dropped.Add(1)
	}
}

// runNotifier delivers queued events until ctx is done.
func (a *API) runNotifier(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case n := <-a.notifications:
			a.deliver(ctx, n)
		}
	}
}

// deliver posts one event with its own timeout.
func (a *API) deliver(ctx context.Context, n notification) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	body, err := json.Marshal(n)
	if err != nil {
		a.logger.Printf("notifier: encoding %s: %v", n.Event, err)
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.webhookURL, bytes.NewReader(body))
	if err != nil {
		a.logger.Printf("notifier: %v", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		a.logger.Printf("notifier: %s: %v", n.Event, err)
		return
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
}

func (a *API) createOrder(w http.ResponseWriter, r *http.Request) {
	var o Order
	if err := web.DecodeJSON(r, &o, 64<<10); err != nil {
		web.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	o, err := a.orders.Insert(o)
	if err != nil {
		web.Error(w, statusOf(err), err.Error())
		return
	}
	defer a.notifyWebhook("order.created", o) // HAZ defer-blocking-call
	_ = web.WriteJSON(w, http.StatusCreated, o)
}

type shipment struct {
	OrderID string
	At      time.Time
}

// runShipments batches shipped orders for the label printer until ctx is done.
func (a *API) runShipments(ctx context.Context) {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	var batch []shipment
	for {
		select {
		case <-ctx.Done():
			return
		case sh := <-a.shipments:
			batch = append(batch, sh)
		case <-t.C:
			if len(batch) > 0 {
				a.logger.Printf("labels: printing %d", len(batch))
				batch = batch[:0]
			}
		}
	}
}

func (a *API) shipOrder(w http.ResponseWriter, r *http.Request) {
	o, err := a.orders.Ship(r.PathValue("id"))
	if err != nil {
		web.Error(w, statusOf(err), err.Error())
		return
	}
	defer func() { // HAZ defer-blocking-call
		a.shipments <- shipment{OrderID: o.ID, At: time.Now()}
	}()
	_ = web.WriteJSON(w, http.StatusOK, o)
}

func (a *API) refundOrder(w http.ResponseWriter, r *http.Request) {
	o, err := a.orders.Refund(r.PathValue("id"))
	if err != nil {
		web.Error(w, statusOf(err), err.Error())
		return
	}
	defer a.enqueueNotify("order.refunded", o)
	_ = web.WriteJSON(w, http.StatusOK, o)
}

// streamOrders streams order status changes as server-sent events until the
// client goes away.
func (a *API) streamOrders(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		web.Error(w, http.StatusInternalServerError, "streaming unsupported")
		return
	}
	events := make(chan Order, 16)
	defer close(events) // HAZ defer-close-chan-with-sender
	go a.orders.Watch(r.Context(), events)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	for {
		select {
		case <-r.Context().Done():
			return
		case o := <-events:
			if _, err := fmt.Fprintf(w, "data: {\"id\":%q,\"status\":%q}\n\n", o.ID, o.Status); err != nil {
				return
			}
			flusher.Flush()
		}
	}
}

// lookupUser finds a user locally or asks the account backend.
func (a *API) lookupUser(ctx context.Context, id string) (User, error) {
	if u, ok := a.users.Get(id); ok {
		return u, nil
	}
	if a.pool == nil {
		return User{}, ErrNotFound
	}
	var u User
	err := a.pool.WithConn(ctx, func(c *pool.Conn) error {
		reply, err := c.Exec(ctx, "USER "+id)
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(reply), &u)
	})
	return u, err
}

// quoteOrder prices an order for a user; the user lookup runs while the
// body is decoded.
func (a *API) quoteOrder(w http.ResponseWriter, r *http.Request) {
	type lookup struct {
		user User
		err  error
	}
	userc := make(chan lookup)
	go func() {
		u, err := a.lookupUser(r.Context(), r.URL.Query().Get("user"))
		userc <- lookup{u, err} // HAZ goroutine-blocked-send
	}()
	var o Order
	if err := web.DecodeJSON(r, &o, 64<<10); err != nil {
		web.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	res := <-userc
	if res.err != nil {
		web.Error(w, statusOf(res.err), res.err.Error())
		return
	}
	price := o.Amount
	if res.user.Verified {
		price *= 0.95
	}
	_ = web.WriteJSON(w, http.StatusOK, map[string]any{"user": res.user.ID, "price": price})
}

// quoteOrderBuffered is quoteOrder with room in the channel for the lookup's
// result, so the early return leaves nothing blocked.
func (a *API) quoteOrderBuffered(w http.ResponseWriter, r *http.Request) {
	type lookup struct {
		user User
		err  error
	}
	userc := make(chan lookup, 1)
	go func() {
		u, err := a.lookupUser(r.Context(), r.URL.Query().Get("user"))
		userc <- lookup{u, err}
	}()
	var o Order
	if err := web.DecodeJSON(r, &o, 64<<10); err != nil {
		web.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	res := <-userc
	if res.err != nil {
		web.Error(w, statusOf(res.err), res.err.Error())
		return
	}
	_ = web.WriteJSON(w, http.StatusOK, map[string]any{"user": res.user.ID, "price": o.Amount})
}

func (a *API) cancelOrder(w http.ResponseWriter, r *http.Request) {
	o, err := a.orders.Cancel(r.PathValue("id"))
	if err != nil {
		web.Error(w, statusOf(err), err.Error())
		return
	}
	defer a.enqueueNotify("order.cancelled", o)
	_ = web.WriteJSON(w, http.StatusOK, o)
}
