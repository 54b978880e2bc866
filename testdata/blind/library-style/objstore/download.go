package objstore

import (
	"archive/zip"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// Download writes the object to dst, replacing it.
func (c *Client) Download(ctx context.Context, key, dst string) error {
	body, err := c.open(ctx, key)
	if err != nil {
		return err
	}
	defer body.Close()
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = io.Copy(f, body)
	return err
}

// DownloadDurable writes the object to dst and syncs it to disk.
func (c *Client) DownloadDurable(ctx context.Context, key, dst string) error {
	body, err := c.open(ctx, key)
	if err != nil {
		return err
	}
	defer body.Close()
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(f, body); err != nil {
		return err
	}
	return f.Sync()
}

// DownloadChecked writes the object to dst and reports the close error.
func (c *Client) DownloadChecked(ctx context.Context, key, dst string) error {
	body, err := c.open(ctx, key)
	if err != nil {
		return err
	}
	defer body.Close()
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(f, body); err != nil {
		return fmt.Errorf("objstore: download %s: %w", key, err)
	}
	return f.Close()
}

// VerifyLocal compares a local file with the object, byte for byte.
func (c *Client) VerifyLocal(ctx context.Context, key, path string) (bool, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return false, err
	}
	defer f.Close()
	local, err := io.ReadAll(f)
	if err != nil {
		return false, err
	}
	remote, err := c.GetWithRetryScoped(ctx, key, 3)
	if err != nil {
		return false, err
	}
	return string(local) == string(remote), nil
}

// DownloadCompressed writes the object gzip-compressed to dst.
func (c *Client) DownloadCompressed(ctx context.Context, key, dst string) error {
	body, err := c.open(ctx, key)
	if err != nil {
		return err
	}
	defer body.Close()
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	defer f.Close()  // HAZ defer-order-inverted
	_, err = io.Copy(zw, body)
	return err
}

// ExportZip writes the given objects into a zip archive at dst.
func (c *Client) ExportZip(ctx context.Context, keys []string, dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	for _, k := range keys {
		if err := c.addToZip(ctx, zw, k); err != nil {
			return err
		}
	}
	return nil
}

func (c *Client) addToZip(ctx context.Context, zw *zip.Writer, key string) error {
	w, err := zw.Create(key)
	if err != nil {
		return err
	}
	body, err := c.open(ctx, key)
	if err != nil {
		return err
	}
	defer body.Close()
	_, err = io.Copy(w, body)
	return err
}

// ExportZipOrdered writes the given objects into a zip archive at dst.
func (c *Client) ExportZipOrdered(ctx context.Context, keys []string, dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	for _, k := range keys {
		if err := c.addToZip(ctx, zw, k); err != nil {
			return err
		}
	}
	return nil
}

// DownloadCompressedChecked writes the object gzip-compressed to dst.
func (c *Client) DownloadCompressedChecked(ctx context.Context, key, dst string) (err error) {
	body, err := c.open(ctx, key)
	if err != nil {
		return err
	}
	defer body.Close()
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	if _, err := io.Copy(zw, body); err != nil {
		zw.Close()
		return err
	}
	return zw.Close()
}
