// Command recorder-agent joins one room as a hidden participant and records
// the media it is sent to disk.
package main

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"example.com/confsfu/internal/proto"
	"example.com/confsfu/internal/recording"
	"example.com/confsfu/internal/signaling"
)

// decodeMedia turns a forwarded media frame (ssrc + payload) into a packet.
func decodeMedia(f proto.Frame) (recording.Packet, bool) {
	if len(f.Payload) < 4 {
		return recording.Packet{}, false
	}
	return recording.Packet{
		SSRC:    binary.BigEndian.Uint32(f.Payload[:4]),
		Seq:     f.Stream,
		Payload: f.Payload[4:],
	}, true
}

func main() {
	addr := flag.String("sfu", "127.0.0.1:7000", "SFU signalling address")
	room := flag.String("room", "", "room to record")
	dir := flag.String("dir", "recordings", "output directory")
	flag.Parse()
	if *room == "" {
		log.Fatal("recorder-agent: -room is required")
	}

	out := filepath.Join(*dir, *room)
	rec, err := recording.NewRecorder(out, 64<<20, log.Default())
	if err != nil {
		log.Fatalf("recorder-agent: %v", err)
	}
	defer func() {
		if err := rec.Finish(filepath.Join(out, "manifest.json")); err != nil {
			log.Printf("recorder-agent: finishing: %v", err)
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cl := signaling.NewClient(*addr, []byte("recorder/"+*room), log.Default())
	cl.Handle(proto.OpOffer, func(f proto.Frame) {
		if pkt, ok := decodeMedia(f); ok {
			if err := rec.Write(pkt); err != nil {
				log.Printf("recorder-agent: write: %v", err)
			}
		}
	})
	if err := cl.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		log.Fatalf("recorder-agent: %v", err) // HAZ exit-skips-defer
	}
}
