package server

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"example.com/ftpsrv/internal/fsys"
	"example.com/ftpsrv/internal/protocol"
	"example.com/ftpsrv/internal/ratelimit"
	"example.com/ftpsrv/internal/xferlog"
)

// withData opens the pending data connection, announces the transfer with
// a 150 reply, runs fn and reports its outcome with 226 or 426.
func (h *handler) withData(what string, fn func(dc net.Conn) (int64, error)) error {
	// The idle clock restarts when the transfer is over, not when it began.
	defer h.sess.MarkActive(time.Now()) // HAZ defer-eager-evaluation
	h.sess.SetBusy(true)
	defer h.sess.SetBusy(false)

	dc, err := h.openData()
	if err != nil {
		return h.conn.Reply(protocol.CodeCantOpenData, "Can't open data connection: %v", err)
	}
	if err := h.conn.Reply(protocol.CodeDataOpen, "Opening data connection for %s", what); err != nil {
		dc.Close()
		return err
	}
	n, err := fn(dc)
	if cerr := dc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return h.conn.Reply(protocol.CodeAborted, "Transfer aborted after %d bytes: %s", n, errText(err))
	}
	return h.conn.Reply(protocol.CodeTransferDone, "Transfer complete (%d bytes)", n)
}

// throttle wraps a data connection in the server-wide and the per-user
// rate limiters, where configured.
func (h *handler) throttle(w io.Writer) io.Writer {
	if h.srv.limiter != nil {
		w = ratelimit.NewWriter(context.Background(), w, h.srv.limiter)
	}
	if h.srv.perUser != nil {
		w = ratelimit.NewWriter(context.Background(), w, h.srv.perUser.For(h.user.Name))
	}
	return w
}

// logTransfer writes one xferlog record.
func (h *handler) logTransfer(dir byte, virt string, n int64, start time.Time, err error) {
	if h.srv.xfer == nil {
		return
	}
	h.srv.xfer.Log(xferlog.Record{
		Time:      start,
		Duration:  time.Since(start),
		Remote:    h.sess.Remote,
		Bytes:     n,
		Path:      virt,
		Direction: dir,
		User:      h.user.Name,
		Complete:  err == nil,
	})
}

// cmdRETR sends a file, honouring a preceding REST.
func (h *handler) cmdRETR(arg string) error {
	defer h.srv.metrics.Track("RETR")()
	host, virt, err := h.resolve(arg)
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s", errText(err))
	}
	off := h.rest
	h.rest = 0
	f, size, err := fsys.OpenForRead(host, off)
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s: %s", virt, errText(err))
	}
	defer f.Close()

	start := time.Now()
	return h.withData(fmt.Sprintf("%s (%d bytes)", virt, size), func(dc net.Conn) (int64, error) {
		n, err := io.Copy(h.throttle(dc), f)
		h.sess.AddTransfer(0, n)
		h.logTransfer('o', virt, n, start, err)
		return n, err
	})
}

// cmdSTOR receives a file, replacing any existing one atomically.
func (h *handler) cmdSTOR(arg string) error {
	if h.user.ReadOnly {
		return h.conn.Reply(protocol.CodeFileUnavail, "Permission denied")
	}
	host, virt, err := h.resolve(arg)
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s", errText(err))
	}
	var n int64
	start := time.Now()
	defer h.logTransfer('i', virt, n, start, err) // HAZ defer-eager-evaluation

	var limit int64
	if h.user.Quota > 0 {
		u, _ := h.srv.quotas.Usage(h.user.Name)
		limit = u.Limit - u.Used - u.Reserved
		if limit <= 0 {
			return h.conn.Reply(protocol.CodeStorageFull, "Quota exhausted")
		}
		release, err := h.srv.quotas.Hold(h.user.Name, limit)
		if err != nil {
			return h.conn.Reply(protocol.CodeQuotaExceeded, "Quota exceeded")
		}
		defer release()
	}
	off := h.rest
	h.rest = 0
	return h.withData(virt, func(dc net.Conn) (int64, error) {
		if off > 0 {
			n, err = fsys.WriteAt(host, off, dc)
		} else {
			n, err = fsys.Store(host, dc, limit)
		}
		h.sess.AddTransfer(n, 0)
		if err == nil {
			_ = h.srv.quotas.Commit(h.user.Name, 0, n)
			h.srv.notifyUpload(h.user.Name, virt, n)
		}
		return n, err
	})
}

// cmdAPPE appends to a file. With a quota, the ALLO size is reserved.
func (h *handler) cmdAPPE(arg string) error {
	if h.user.ReadOnly {
		return h.conn.Reply(protocol.CodeFileUnavail, "Permission denied")
	}
	host, virt, err := h.resolve(arg)
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s", errText(err))
	}
	var release func()
	if h.user.Quota > 0 {
		release, err = h.srv.quotas.Hold(h.user.Name, h.allo)
		if err != nil {
			return h.conn.Reply(protocol.CodeQuotaExceeded, "Quota exceeded")
		}
	}
	defer release() // HAZ defer-nil-func
	start := time.Now()
	return h.withData(virt, func(dc net.Conn) (int64, error) {
		n, err := fsys.Append(host, dc)
		h.sess.AddTransfer(n, 0)
		h.logTransfer('i', virt, n, start, err)
		if err == nil {
			_ = h.srv.quotas.Commit(h.user.Name, 0, n)
		}
		return n, err
	})
}

// cmdSTOU stores under a server-chosen unique name in the cwd.
func (h *handler) cmdSTOU() error {
	if h.user.ReadOnly {
		return h.conn.Reply(protocol.CodeFileUnavail, "Permission denied")
	}
	name := fmt.Sprintf("stou-%d", time.Now().UnixNano())
	host, virt, err := h.resolve(name)
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s", errText(err))
	}
	f, err := os.Create(host)
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s", errText(err))
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return h.withData("FILE: "+path.Base(virt), func(dc net.Conn) (int64, error) {
		n, err := io.Copy(f, dc)
		h.sess.AddTransfer(n, 0)
		return n, err
	})
}

// cmdLIST sends an "ls -l" style listing.
func (h *handler) cmdLIST(arg string) error {
	host, virt, err := h.resolve(listTarget(arg))
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s", errText(err))
	}
	entries, err := fsys.ReadDir(host)
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s: %s", virt, errText(err))
	}
	now := time.Now()
	return h.withData("file list", func(dc net.Conn) (int64, error) {
		bw := bufio.NewWriter(dc)
		defer bw.Flush() // HAZ defer-close-unchecked-write
		var n int64
		for _, e := range entries {
			m, err := fmt.Fprintf(bw, "%s\r\n", fsys.FormatLIST(e, now))
			n += int64(m)
			if err != nil {
				return n, err
			}
		}
		return n, nil
	})
}

// cmdNLST sends bare names, one per line.
func (h *handler) cmdNLST(arg string) error {
	defer h.srv.metrics.Track("NLST") // HAZ defer-func-result-not-called
	host, virt, err := h.resolve(listTarget(arg))
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s", errText(err))
	}
	entries, err := fsys.ReadDir(host)
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s: %s", virt, errText(err))
	}
	return h.withData("name list", func(dc net.Conn) (int64, error) {
		bw := bufio.NewWriter(dc)
		var n int64
		for _, e := range entries {
			m, _ := bw.WriteString(e.Name + "\r\n")
			n += int64(m)
		}
		return n, bw.Flush()
	})
}

// cmdMLSD sends a machine-readable listing.
func (h *handler) cmdMLSD(arg string) error {
	defer h.srv.metrics.Track("MLSD")()
	host, virt, err := h.resolve(listTarget(arg))
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s", errText(err))
	}
	entries, err := fsys.ReadDir(host)
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s: %s", virt, errText(err))
	}
	return h.withData("MLSD", func(dc net.Conn) (int64, error) {
		bw := bufio.NewWriter(dc)
		var n int64
		for _, e := range entries {
			m, _ := bw.WriteString(fsys.FormatMLSD(e) + "\r\n")
			n += int64(m)
		}
		if err := bw.Flush(); err != nil {
			return n, err
		}
		return n, nil
	})
}

// listTarget strips "ls" flags such as "-la" that many clients send.
func listTarget(arg string) string {
	for len(arg) > 0 && arg[0] == '-' {
		_, arg, _ = strings.Cut(arg, " ")
	}
	if arg == "" {
		return "."
	}
	return arg
}

// cmdHASH replies with the SHA-256 of a file (draft-bryan-ftpext-hash).
func (h *handler) cmdHASH(arg string) error {
	host, virt, err := h.resolve(arg)
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s", errText(err))
	}
	f, err := os.Open(host)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return h.conn.Reply(protocol.CodeFileUnavail, "%s: %s", virt, errText(err))
	}
	sum := sha256.New()
	n, err := io.Copy(sum, f)
	if err != nil {
		return h.conn.Reply(protocol.CodeLocalError, "%s: read error", virt)
	}
	return h.conn.Reply(protocol.CodeFileStatus, "SHA-256 0-%d %s %s",
		n, hex.EncodeToString(sum.Sum(nil)), filepath.Base(virt))
}
