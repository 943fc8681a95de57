package browsertest

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"testing"
)

// The branding images of the tests, drawn here so the tests ship no binary
// files: a Woodgrove-green mark with three bars for the logos, and a soft
// gradient for the background. Each has the exact size the seed demands.

var (
	woodgrove = color.NRGBA{0x10, 0x6e, 0x3c, 0xff}
	leaf      = color.NRGBA{0x6c, 0xb3, 0x3e, 0xff}
)

// logoPNG draws a w×h logo: a rounded mark and bars standing for the name.
func logoPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	mark := min(w, h)
	for y := 0; y < mark; y++ {
		for x := 0; x < mark; x++ {
			dx, dy := float64(x)-float64(mark)/2+0.5, float64(y)-float64(mark)/2+0.5
			if math.Hypot(dx, dy) <= float64(mark)/2 {
				c := woodgrove
				if dx > 0 && dy < 0 {
					c = leaf
				}
				img.Set(x, y, c)
			}
		}
	}
	if w > h { // a wordmark: three bars of decreasing length
		for i, length := range []int{w - mark - 20, (w - mark - 20) * 3 / 4, (w - mark - 20) / 2} {
			top := h/2 - 12 + i*9
			draw.Draw(img, image.Rect(mark+12, top, mark+12+length, top+6), image.NewUniform(woodgrove), image.Point{}, draw.Src)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// backgroundJPEG draws the 1920×1080 background: a diagonal gradient from
// deep green to a pale leaf colour.
func backgroundJPEG(t *testing.T) []byte {
	t.Helper()
	const w, h = 1920, 1080
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			f := (float64(x)/w + float64(y)/h) / 2
			wave := 0.08 * math.Sin(float64(x)/180+float64(y)/240)
			f = math.Max(0, math.Min(1, f+wave))
			img.Set(x, y, color.RGBA{
				R: uint8(16 + f*(200-16)), G: uint8(70 + f*(225-70)), B: uint8(45 + f*(170-45)), A: 0xff,
			})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
