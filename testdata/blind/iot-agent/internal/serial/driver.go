package serial

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// maxOffset bounds a calibration offset in degrees Celsius.
const maxOffset = 5.0

// Reading is one sensor measurement.
type Reading struct {
	Sensor string
	Value  float64
	Unit   string
	At     time.Time
}

// Driver is implemented by every sensor driver.
type Driver interface {
	Name() string
	Read(ctx context.Context) (Reading, error)
}

// TempSensor is a digital thermometer answering CmdRead with a 12.4 fixed-point value.
type TempSensor struct {
	name string
	port *Port

	mu     sync.Mutex
	offset float64
}

// NewTempSensor returns a driver for the thermometer on p.
func NewTempSensor(name string, p *Port) *TempSensor {
	return &TempSensor{name: name, port: p}
}

// Name implements Driver.
func (s *TempSensor) Name() string { return s.name }

// Read implements Driver.
func (s *TempSensor) Read(ctx context.Context) (Reading, error) {
	if err := ctx.Err(); err != nil {
		return Reading{}, err
	}
	resp, err := s.port.Command(Frame{Cmd: CmdRead})
	if err != nil {
		return Reading{}, fmt.Errorf("serial: %s: %w", s.name, err)
	}
	raw, err := resp.Uint16()
	if err != nil {
		return Reading{}, err
	}
	s.mu.Lock()
	off := s.offset
	s.mu.Unlock()
	return Reading{Sensor: s.name, Value: rawToCelsius(raw) + off, Unit: "C", At: time.Now()}, nil
}

func rawToCelsius(raw uint16) float64 {
	return float64(int16(raw)) / 16
}

// Calibrate sets the offset added to every reading.
func (s *TempSensor) Calibrate(offset float64) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if math.IsNaN(offset) || math.Abs(offset) > maxOffset {
		return fmt.Errorf("serial: %s: calibration offset %.2f out of range", s.name, offset)
	}
	s.offset = offset
	s.mu.Unlock()
	return nil
}

// Offset returns the current calibration offset.
func (s *TempSensor) Offset() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.offset
}

// ReadTimeout reads with an upper bound on the time spent waiting for the device.
func (s *TempSensor) ReadTimeout(d time.Duration) (Reading, error) {
	type result struct {
		r   Reading
		err error
	}
	ch := make(chan result)
	go func() {
		r, err := s.Read(context.Background())
		ch <- result{r, err} // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-ch:
		return res.r, res.err
	case <-time.After(d):
		return Reading{}, fmt.Errorf("serial: %s: read timed out after %v", s.name, d)
	}
}

// HumiditySensor is a relative-humidity probe with a configurable sample rate.
type HumiditySensor struct {
	name string
	port *Port

	mu   sync.Mutex
	rate int
}

// NewHumiditySensor returns a driver for the probe on p.
func NewHumiditySensor(name string, p *Port) *HumiditySensor {
	return &HumiditySensor{name: name, port: p, rate: 1}
}

// Name implements Driver.
func (h *HumiditySensor) Name() string { return h.name }

// Read implements Driver.
func (h *HumiditySensor) Read(ctx context.Context) (Reading, error) {
	if err := ctx.Err(); err != nil {
		return Reading{}, err
	}
	resp, err := h.port.Command(Frame{Cmd: CmdRead})
	if err != nil {
		return Reading{}, fmt.Errorf("serial: %s: %w", h.name, err)
	}
	raw, err := resp.Uint16()
	if err != nil {
		return Reading{}, err
	}
	return Reading{Sensor: h.name, Value: float64(raw) / 100, Unit: "%RH", At: time.Now()}, nil
}

// ReadTimeout reads with an upper bound on the wait. The result channel has room
// for the one reply, so an abandoned reader still finishes.
func (h *HumiditySensor) ReadTimeout(d time.Duration) (Reading, error) {
	type result struct {
		r   Reading
		err error
	}
	ch := make(chan result, 1)
	go func() {
		r, err := h.Read(context.Background())
		ch <- result{r, err}
	}()
	select {
	case res := <-ch:
		return res.r, res.err
	case <-time.After(d):
		return Reading{}, fmt.Errorf("serial: %s: read timed out after %v", h.name, d)
	}
}

// SetRate changes the probe's sampling rate in Hz.
func (h *HumiditySensor) SetRate(hz int) error {
	h.mu.Lock()
	if hz <= 0 || hz > 50 {
		h.mu.Unlock()
		return fmt.Errorf("serial: %s: rate %d Hz out of range", h.name, hz)
	}
	if hz == h.rate {
		h.mu.Unlock()
		return nil
	}
	h.rate = hz
	h.mu.Unlock()
	_, err := h.port.Command(Frame{Cmd: CmdSetRate, Payload: []byte{byte(hz)}})
	return err
}

// Heater drives the sensor board's condensation heater.
type Heater struct {
	port *Port
}

// NewHeater returns a heater controller on p.
func NewHeater(p *Port) *Heater { return &Heater{port: p} }

// Set switches the heater on or off.
func (h *Heater) Set(on bool) error {
	var v byte
	if on {
		v = 1
	}
	_, err := h.port.Command(Frame{Cmd: CmdHeater, Payload: []byte{v}})
	return err
}
