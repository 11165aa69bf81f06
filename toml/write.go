package toml

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"time"
)

// Marshal returns the config as TOML in flyctl's layout (see emitter), with
// no header comment. Keys flyctl does not know are written after the known
// keys of their table.
func (c *Config) Marshal() ([]byte, error) {
	return emit(structTree(reflect.ValueOf(c).Elem())), nil
}

// MarshalWithHeader returns flyctl's header comment, naming the app and
// now, followed by Marshal's output.
func (c *Config) MarshalWithHeader(now time.Time) ([]byte, error) {
	body, err := c.Marshal()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# fly.toml app configuration file generated for %s on %s\n", c.App, now.Format(time.RFC3339))
	b.WriteString("#\n")
	b.WriteString("# See https://fly.io/docs/reference/configuration/ for information about how to use this file.\n")
	b.WriteString("#\n\n")
	b.Write(body)
	return b.Bytes(), nil
}

// WriteFile writes the header and the config to path with mode 0644. It
// writes a temporary file in the same directory and renames it over path,
// so a reader never sees half a file.
func (c *Config) WriteFile(path string, now time.Time) error {
	data, err := c.MarshalWithHeader(now)
	if err != nil {
		return fmt.Errorf("writing fly.toml: %w", err)
	}
	if err := writeAtomic(path, data, 0o644); err != nil {
		return fmt.Errorf("writing fly.toml: %w", err)
	}
	return nil
}

func writeAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
