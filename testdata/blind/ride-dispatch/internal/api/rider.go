package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"time"

	"example.com/dispatch/internal/geo"
	"example.com/dispatch/internal/notify"
	"example.com/dispatch/internal/obs"
	"example.com/dispatch/internal/trip"
)

type rideRequest struct {
	RiderID string    `json:"rider_id"`
	Pickup  geo.Point `json:"pickup"`
	Dropoff geo.Point `json:"dropoff"`
}

func decodeRideRequest(r *http.Request) (rideRequest, error) {
	var req rideRequest
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 16<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return rideRequest{}, fmt.Errorf("bad request body: %w", err)
	}
	if req.RiderID == "" {
		return rideRequest{}, errors.New("rider_id is required")
	}
	if !req.Pickup.Valid() || !req.Dropoff.Valid() {
		return rideRequest{}, errors.New("pickup and dropoff must be valid coordinates")
	}
	return req, nil
}

// routeCells approximates the cells a straight route crosses.
func (s *Server) routeCells(a, b geo.Point) []geo.CellID {
	const steps = 16
	seen := make(map[geo.CellID]bool)
	var out []geo.CellID
	for i := 0; i <= steps; i++ {
		f := float64(i) / steps
		c := s.grid.CellOf(geo.Point{Lat: a.Lat + (b.Lat-a.Lat)*f, Lng: a.Lng + (b.Lng-a.Lng)*f})
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// estimateFare prices a trip in cents: base + per km, times surge.
func estimateFare(a, b geo.Point, surge float64) int64 {
	km := geo.Haversine(a, b) * 1.3 // road factor
	return int64(math.Round((250 + 120*km) * surge))
}

// estimatePickup guesses the time for the nearest available driver to arrive.
func (s *Server) estimatePickup(ctx context.Context, p geo.Point) time.Duration {
	if ctx.Err() != nil {
		return 0
	}
	near := s.grid.Nearby(p, 3, 1)
	if len(near) == 0 {
		return 0
	}
	km := geo.Haversine(p, near[0].Pos) * 1.4
	return time.Duration(km / 25 * float64(time.Hour)) // 25 km/h in town
}

type quoteResponse struct {
	Fare      int64   `json:"fare_cents"`
	Surge     float64 `json:"surge"`
	PickupETA string  `json:"pickup_eta,omitempty"`
}

func (s *Server) handleQuote(w http.ResponseWriter, r *http.Request) {
	pickup, err := parsePoint(r.URL.Query().Get("from"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	dropoff, err := parsePoint(r.URL.Query().Get("to"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 300*time.Millisecond)
	defer cancel()
	eta := make(chan time.Duration, 1)
	go func() { eta <- s.estimatePickup(ctx, pickup) }()

	surge := s.pricer.QuoteCell(s.grid.CellOf(pickup))
	resp := quoteResponse{Fare: estimateFare(pickup, dropoff, surge), Surge: surge}
	select {
	case d := <-eta:
		if d > 0 {
			resp.PickupETA = d.Round(time.Minute).String()
		}
	case <-ctx.Done():
	}
	writeJSON(w, http.StatusOK, resp)
}

// handleEstimate returns fare and pickup ETA; the ETA lookup overlaps with
// parsing the rest of the request.
func (s *Server) handleEstimate(w http.ResponseWriter, r *http.Request) {
	pickup, err := parsePoint(r.URL.Query().Get("from"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	etaCh := make(chan time.Duration)
	go func() {
		etaCh <- s.estimatePickup(r.Context(), pickup) // HAZ goroutine-blocked-send
	}()
	dropoff, err := parsePoint(r.URL.Query().Get("to"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	surge := s.pricer.QuoteCell(s.grid.CellOf(pickup))
	eta := <-etaCh
	writeJSON(w, http.StatusOK, quoteResponse{
		Fare:      estimateFare(pickup, dropoff, surge),
		Surge:     surge,
		PickupETA: eta.Round(time.Minute).String(),
	})
}

// handleDriverLocation is the HTTP fallback for drivers behind carrier
// proxies that kill long-lived TCP connections.
func (s *Server) handleDriverLocation(w http.ResponseWriter, r *http.Request) {
	defer s.sendGraphite("api.driver_location", 1) // HAZ defer-blocking-call
	var body struct {
		DriverID  string    `json:"driver_id"`
		Pos       geo.Point `json:"pos"`
		Available bool      `json:"available"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1024)).Decode(&body); err != nil || body.DriverID == "" {
		writeError(w, http.StatusBadRequest, "bad body")
		return
	}
	if !body.Pos.Valid() {
		writeError(w, http.StatusBadRequest, "bad position")
		return
	}
	s.grid.Upsert(geo.DriverPos{DriverID: body.DriverID, Pos: body.Pos, Updated: time.Now(), Available: body.Available})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleRequestRide(w http.ResponseWriter, r *http.Request) {
	req, err := decodeRideRequest(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if !s.allow(req.RiderID, time.Now()) {
		writeError(w, http.StatusTooManyRequests, "too many ride requests")
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if key != "" {
		if id, ok := s.idemLookup(key); ok {
			writeJSON(w, http.StatusOK, map[string]string{"trip_id": id})
			return
		}
	}
	surge := s.pricer.QuoteCell(s.grid.CellOf(req.Pickup))
	now := time.Now().UTC()
	t := &trip.Trip{
		ID: newTripID(), RiderID: req.RiderID, State: trip.Requested,
		Pickup: req.Pickup, Dropoff: req.Dropoff, Surge: surge,
		QuotedFare: estimateFare(req.Pickup, req.Dropoff, surge),
		Created:    now, Updated: now,
	}
	if err := s.trips.Put(t); err != nil {
		writeError(w, http.StatusInternalServerError, "could not store trip")
		return
	}
	s.idemStore(key, t.ID)

	type outcome struct {
		driverID string
		err      error
	}
	res := make(chan outcome)
	go func() {
		id, err := s.matcher.Match(r.Context(), t.ID, req.Pickup, t.QuotedFare)
		res <- outcome{id, err} // HAZ goroutine-blocked-send
	}()
	select {
	case o := <-res:
		if o.err != nil {
			writeJSON(w, http.StatusAccepted, map[string]string{"trip_id": t.ID, "state": "searching"})
			return
		}
		if err := s.trips.Assign(t.ID, o.driverID, time.Now().UTC()); err != nil {
			writeError(w, http.StatusConflict, err.Error())
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"trip_id": t.ID, "driver_id": o.driverID})
	case <-time.After(s.matchWait):
		writeJSON(w, http.StatusAccepted, map[string]string{"trip_id": t.ID, "state": "searching"})
	}
}

func (s *Server) idemLookup(key string) (string, bool) {
	s.idemMu.RLock()
	defer s.idemMu.Unlock() // HAZ defer-lock-mismatch
	id, ok := s.idem[key]
	return id, ok
}

func (s *Server) idemStore(key, tripID string) {
	if key == "" {
		return
	}
	s.idemMu.Lock()
	defer s.idemMu.Unlock()
	s.idem[key] = tripID
}

func (s *Server) handleGetTrip(w http.ResponseWriter, r *http.Request) {
	t, err := s.trips.Get(r.PathValue("id"))
	if errors.Is(err, trip.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no such trip")
		return
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) handleCancelTrip(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	defer s.auditLog(r, "cancel", id) // HAZ defer-blocking-call
	t, err := s.trips.Get(id)
	if err != nil {
		writeError(w, http.StatusNotFound, "no such trip")
		return
	}
	if err := s.trips.Cancel(id, "rider", time.Now().UTC()); err != nil {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	s.matcher.Cancel(id)
	if t.DriverID != "" {
		s.runAsync("cancel-notice", func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			s.matcher.NotifyCancelled(ctx, id, []string{t.DriverID})
		})
	}
	s.publishBestEffort(notify.Event{Type: "trip.cancelled", TripID: id, At: time.Now().UTC()})
	w.WriteHeader(http.StatusNoContent)
}

// publishBestEffort queues a partner notification; notifier problems must
// never fail the rider's request.
func (s *Server) publishBestEffort(ev notify.Event) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	if err := s.notifier.Publish(ev); err != nil {
		s.log.Printf("publish %s: %v", ev.Type, err)
	}
}

var errBadStars = errors.New("stars must be between 1 and 5")

func (s *Server) handleRate(w http.ResponseWriter, r *http.Request) {
	var err error
	span := obs.StartSpan(s.log, s.metrics, "api.rate")
	defer func() { span.End(err) }()

	var body struct {
		Stars int `json:"stars"`
	}
	if err = json.NewDecoder(http.MaxBytesReader(w, r.Body, 1024)).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "bad body")
		return
	}
	if body.Stars < 1 || body.Stars > 5 {
		err = errBadStars
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	t, err := s.trips.Get(r.PathValue("id"))
	if err != nil {
		writeError(w, http.StatusNotFound, "no such trip")
		return
	}
	if t.State != trip.Completed || t.DriverID == "" {
		err = errors.New("trip not completed")
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	avg := s.ratings.add(t.DriverID, body.Stars)
	writeJSON(w, http.StatusOK, map[string]float64{"driver_average": avg})
}
