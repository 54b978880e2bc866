package snapshot

import (
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"

	"example.com/gamesrv/internal/game"
)

// ReplayFrame is one recorded tick.
type ReplayFrame struct {
	Tick    uint64             `json:"tick"`
	Players []game.PlayerState `json:"players"`
}

// Recorder buffers per-tick frames of running matches and writes a gzipped
// replay when a match's recording stops. It implements game.Recorder.
type Recorder struct {
	dir       string
	maxFrames int
	logger    *log.Logger

	mu     sync.Mutex
	frames map[string][]ReplayFrame
}

// NewRecorder returns a recorder writing replays into dir.
func NewRecorder(dir string, maxFrames int, logger *log.Logger) *Recorder {
	return &Recorder{dir: dir, maxFrames: maxFrames, logger: logger, frames: make(map[string][]ReplayFrame)}
}

// Start begins buffering frames for a match and returns the function that
// stops recording and writes the replay.
func (r *Recorder) Start(matchID string) func() {
	r.mu.Lock()
	r.frames[matchID] = make([]ReplayFrame, 0, 1024)
	r.mu.Unlock()
	return func() { r.finish(matchID) }
}

// Record appends one tick. Called by the tick loop with the match lock held,
// so it only copies.
func (r *Recorder) Record(matchID string, tick uint64, st *game.State) {
	fr := ReplayFrame{Tick: tick, Players: make([]game.PlayerState, 0, len(st.Players))}
	for _, p := range st.Players {
		fr.Players = append(fr.Players, *p)
	}
	sort.Slice(fr.Players, func(i, j int) bool { return fr.Players[i].ID < fr.Players[j].ID })

	r.mu.Lock()
	defer r.mu.Unlock()
	frames, ok := r.frames[matchID]
	if !ok || len(frames) >= r.maxFrames {
		return
	}
	r.frames[matchID] = append(frames, fr)
}

func (r *Recorder) finish(matchID string) {
	r.mu.Lock()
	frames := r.frames[matchID]
	delete(r.frames, matchID)
	r.mu.Unlock()

	path := filepath.Join(r.dir, matchID+".replay.gz")
	if err := Export(path, frames); err != nil {
		r.logger.Printf("replay: %s: %v", matchID, err)
	}
}

// Export writes frames as gzipped JSON lines.
func Export(path string, frames []ReplayFrame) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()

	enc := json.NewEncoder(zw)
	for _, fr := range frames {
		if err := enc.Encode(fr); err != nil {
			return err
		}
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// ExportCSV writes one row per player per tick, for analysts.
func ExportCSV(path string, frames []ReplayFrame) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	w := csv.NewWriter(f)
	if err := w.Write([]string{"tick", "player", "x", "y", "hp", "score"}); err != nil {
		return err
	}
	for _, fr := range frames {
		for _, p := range fr.Players {
			row := []string{
				strconv.FormatUint(fr.Tick, 10), p.ID,
				strconv.FormatFloat(p.Pos.X, 'f', 2, 64), strconv.FormatFloat(p.Pos.Y, 'f', 2, 64),
				strconv.Itoa(p.HP), strconv.Itoa(p.Score),
			}
			if err := w.Write(row); err != nil {
				return err
			}
		}
	}
	w.Flush()
	return w.Error()
}

// ReplayInfo is the header summary shown in the replay browser.
type ReplayInfo struct {
	Frames    int
	FirstTick uint64
	LastTick  uint64
}

// Inspect summarises a replay without keeping its frames in memory.
func Inspect(path string) (ReplayInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return ReplayInfo{}, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return ReplayInfo{}, fmt.Errorf("replay %s: %w", filepath.Base(path), err)
	}
	var info ReplayInfo
	dec := json.NewDecoder(zr)
	for {
		var fr ReplayFrame
		if err := dec.Decode(&fr); err != nil {
			if errors.Is(err, io.EOF) {
				return info, nil
			}
			return info, fmt.Errorf("replay %s: %w", filepath.Base(path), err)
		}
		if info.Frames == 0 {
			info.FirstTick = fr.Tick
		}
		info.LastTick = fr.Tick
		info.Frames++
	}
}

// ReadReplay loads a replay written by Export.
func ReadReplay(path string) ([]ReplayFrame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("replay %s: %w", filepath.Base(path), err)
	}
	defer zr.Close()

	var frames []ReplayFrame
	dec := json.NewDecoder(zr)
	for {
		var fr ReplayFrame
		if err := dec.Decode(&fr); err != nil {
			if errors.Is(err, io.EOF) {
				return frames, nil
			}
			return nil, fmt.Errorf("replay %s: frame %d: %w", filepath.Base(path), len(frames), err)
		}
		frames = append(frames, fr)
	}
}
