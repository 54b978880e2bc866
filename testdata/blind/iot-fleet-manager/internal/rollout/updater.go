package rollout

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"

	"example.com/fleet/internal/cmdqueue"
)

// CommandUpdater pushes an image to a device as a sequence of "fw.chunk"
// commands over the command queue, then commits it with "fw.commit".
type CommandUpdater struct {
	Queue     *cmdqueue.Queue
	ImageDir  string
	ChunkSize int
}

// Update implements Updater.
func (u *CommandUpdater) Update(ctx context.Context, deviceID string, p *Plan) error {
	f, err := os.Open(filepath.Join(u.ImageDir, p.Image))
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, u.ChunkSize)
	var off uint32
	for {
		n, rerr := io.ReadFull(f, buf)
		if n > 0 {
			args := binary.BigEndian.AppendUint32(make([]byte, 0, 4+n), off)
			args = append(args, buf[:n]...)
			if _, err := u.Queue.Submit(ctx, deviceID, "fw.chunk", args); err != nil {
				return err
			}
			off += uint32(n)
		}
		if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
			break
		}
		if rerr != nil {
			return rerr
		}
	}
	_, err = u.Queue.Submit(ctx, deviceID, "fw.commit", []byte(p.Version))
	return err
}
