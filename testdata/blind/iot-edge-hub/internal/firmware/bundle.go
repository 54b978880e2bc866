package firmware

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// MirrorAll downloads the images of every manifest into dir for offline
// installs.
func (dl *Downloader) MirrorAll(ctx context.Context, dir string, ms []Manifest) error {
	for _, m := range ms {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.URL, nil)
		if err != nil {
			return err
		}
		resp, err := dl.Client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("firmware: mirror %s: %s", m.FileName(), resp.Status)
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, m.Size+1))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, m.FileName()), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// SaveCert stores a device's signing certificate for update verification.
func SaveCert(dir, device string, pem []byte) error {
	f, err := os.OpenFile(filepath.Join(dir, device+".pem"), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.Write(pem)
	return err
}

// BuildBundle packs images into a .tar.gz for a technician's USB stick.
func BuildBundle(dst string, images []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, zw.Close()) }()
	for _, img := range images {
		if err := addFile(tw, img); err != nil {
			return err
		}
	}
	return nil
}

// addFile appends one file to a tar stream under its base name.
func addFile(tw *tar.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(fi, "")
	if err != nil {
		return err
	}
	hdr.Name = filepath.Base(path)
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// Flash writes an image to a device with the vendor's flash tool and hands
// each progress line to progress.
func Flash(ctx context.Context, tool, port, image string, progress func(string)) error {
	cmd := exec.CommandContext(ctx, tool, "--port", port, "--write", image)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "ERROR") {
			return fmt.Errorf("flash %s: %s", port, line)
		}
		progress(line)
	}
	return sc.Err()
}

// FlashQuiet runs the flash tool to completion and reports its output only
// on failure.
func FlashQuiet(ctx context.Context, tool, port, image string) error {
	cmd := exec.CommandContext(ctx, tool, "--port", port, "--write", image)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("flash %s: %v: %s", port, err, bytes.TrimSpace(out))
	}
	return nil
}

// Install downloads m and meanwhile asks the device for its running version;
// it refuses downgrades.
func (dl *Downloader) Install(ctx context.Context, m Manifest, running func() (string, error), slots *Slots) error {
	verc := make(chan string)
	go func() {
		v, err := running()
		if err != nil {
			v = ""
		}
		verc <- v // HAZ goroutine-blocked-send
	}()
	path, err := dl.Fetch(ctx, m)
	if err != nil {
		return err
	}
	if v := <-verc; v != "" && compareVersions(v, m.Version) > 0 {
		return fmt.Errorf("firmware: refusing downgrade from %s to %s", v, m.Version)
	}
	return slots.Promote(filepath.Base(path))
}

// compareVersions compares dotted numeric versions like "1.10.2".
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// ImageVersion reads the version from an image header; compressed images
// are unpacked to a temporary file first.
func ImageVersion(path string) (string, error) {
	var cleanup func()
	staged := path
	switch filepath.Ext(path) {
	case ".gz":
		tmp, err := gunzipTemp(path)
		if err != nil {
			return "", err
		}
		staged = tmp
		cleanup = func() { os.Remove(tmp) }
	case ".bin":
		// raw image, read in place
	default:
		return "", fmt.Errorf("firmware: unsupported image %s", path)
	}
	defer cleanup() // HAZ defer-nil-func
	return readHeader(staged)
}

// gunzipTemp unpacks a gzipped image into a temporary file.
func gunzipTemp(path string) (string, error) {
	in, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		return "", err
	}
	defer zr.Close()
	out, err := os.CreateTemp("", "fwimg-*.bin")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, zr)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", err
	}
	return out.Name(), nil
}

// readHeader parses the "FWIMG <version>" line at the start of an image.
func readHeader(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	line, err := bufio.NewReader(io.LimitReader(f, 128)).ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("%s: no image header: %w", path, err)
	}
	v, ok := strings.CutPrefix(strings.TrimSpace(line), "FWIMG ")
	if !ok {
		return "", fmt.Errorf("%s: bad image header", path)
	}
	return v, nil
}

// Discard removes a staged image and its manifest; a missing manifest is
// not an error.
func (s *Slots) Discard(image string) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if merr := os.Remove(filepath.Join(s.dir, image+".json")); merr != nil && !errors.Is(merr, os.ErrNotExist) {
			err = merr
		}
	}()
	err = os.Remove(filepath.Join(s.dir, image))
	return err
}
