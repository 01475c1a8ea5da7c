"""`checkpoint pass verify --image` of a 50-megapixel phone photo of a pass card: the real command in
a process of its own, its wall time and its peak memory.

The photo is made once per run: a fresh station issues a household pass and draws its card (the
program's own PNG), which is laid on a textured background (a table, noise, a light gradient) as
a phone held over the card takes it: 8660 × 5774 pixels (50.0 MP), the card about a third of the
width, JPEG quality 90. A second photo holds the code small (the card an eighth of the width), as a
photo taken from further away. Both must read back as the issued pass (the row says WRONG if not).

Wall time and peak memory come from bench/process.py (the process's own VmHWM). Baseline: the
same command given the token as text (no photo): what the photo adds.

`python -m bench.pass_photo [FOLDER]` (bench/data/photo by default) makes the photos and prints the rows.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from bench.process import ROOT, run_checkpoint
from bench.stats import row, summary, value_row

HERE = Path(__file__).resolve().parent
SIZE = (8660, 5774)   # 50.0 MP
LEADER = ("王队长", "1234")


# The photo's part alone: reading the code, in a process of its own (imports done before the clock starts).
READ = """
import sys, time
from pathlib import Path
from checkpoint.services.passes import read_code_from_image
import zxingcpp, PIL.Image
started = time.perf_counter()
text = read_code_from_image(Path(sys.argv[1]))
print(time.perf_counter() - started, text)
"""


def build(folder: Path) -> dict:
    """A station with one pass, its card, and the two photos of it; what was issued."""
    from PIL import Image, ImageFilter

    from checkpoint.domain.passes import PassForm
    from checkpoint.services import accounts, passes
    from checkpoint.services.setup import init_station
    from checkpoint.store import open_store

    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "station.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = open_store(db)
    try:
        init_station(store, "P01", "照片卡点", "青山镇", *LEADER)
        who = accounts.authenticate(store, *LEADER)
        issued = passes.issue_pass(store, who, PassForm(kind="household", name="赵敏", doc_no="110102199001010046",
                                                        village="红旗村"))
        card = passes.write_cards(store, [issued.number], png=folder / "card.png")[0]
    finally:
        store.close()

    rng = random.Random(3)
    # a table top: a light gradient with coarse noise, blurred a little (what the camera sees around the card)
    small = Image.new("RGB", (SIZE[0] // 16, SIZE[1] // 16))
    small.putdata([(150 + rng.randrange(40) + x // 40, 120 + rng.randrange(40), 90 + rng.randrange(30) + y // 30)
                   for y in range(small.height) for x in range(small.width)])
    background = small.resize(SIZE, Image.BILINEAR)
    noise = Image.effect_noise(SIZE, 24).convert("RGB")
    background = Image.blend(background, noise, 0.15).filter(ImageFilter.GaussianBlur(1))
    photos = {}
    for name, share in (("near", 3), ("far", 8)):
        image = background.copy()
        with Image.open(card) as drawn:
            width = SIZE[0] // share
            shown = drawn.convert("RGB").resize((width, width * drawn.height // drawn.width), Image.LANCZOS)
        shown = shown.rotate(4, expand=True, fillcolor=(140, 120, 95), resample=Image.BICUBIC)
        image.paste(shown, (SIZE[0] // 3, SIZE[1] // 4))
        path = folder / f"photo-{name}.jpg"
        image.save(path, quality=90)
        photos[name] = path
    return {"db": db, "token": issued.token, "number": issued.number, "photos": photos}


def _run(db: Path, *args: str) -> tuple[float, float, str]:
    """Seconds, peak MB and stdout of one `checkpoint` command in a process of its own."""
    ran = run_checkpoint("--db", str(db), *args, env={"CHECKPOINT_PIN": LEADER[1]})
    return ran.seconds, ran.peak_mb, ran.stdout


def photo_figures(folder: Path, repeat: int = 3) -> list[dict]:
    built = build(folder)
    db = built["db"]
    rows = []
    base = []
    for _ in range(repeat):
        seconds, _, out = _run(db, "pass", "verify", "--as", LEADER[0], "--direction", "in", built["token"])
        base.append(seconds)
    baseline = summary(base)
    for name, path in built["photos"].items():
        times, peaks, wrong = [], [], ""
        for _ in range(repeat):
            # in, then out: each direction logs a crossing; the verdict must stay the issued pass's
            seconds, peak, out = _run(db, "pass", "verify", "--as", LEADER[0], "--image", str(path), "--direction", "in")
            times.append(seconds)
            peaks.append(peak)
            if built["number"] not in out:
                wrong = f" (WRONG: {out.strip()[:60] or 'no output'})"
        reads = []
        for _ in range(repeat):
            out = subprocess.run([sys.executable, "-c", READ, str(path)], capture_output=True, text=True, cwd=ROOT,
                                 check=True).stdout.split()
            reads.append(float(out[0]))
            if out[1] != built["token"]:
                wrong = " (WRONG: another code read)"
        share = "a third" if name == "near" else "an eighth"
        rows.append(row(f"pass verify --image, 50 MP photo, card {share} of the width (a process)",
                        summary(times), baseline, "<= 1 s" + wrong,
                        "the same command given the token as text, no photo (a process)",
                        limit=("median_ms", 1000)))
        rows.append(row(f"  the photo's part: read_code_from_image (card {share} of the width)", summary(reads),
                        None, "reported" + wrong))
        rows.append(value_row(f"  its peak memory (card {share} of the width)", round(max(peaks), 1), "MB",
                              "<= 150 MB" + wrong, n=repeat, limit=("median_ms", 150)))
    return rows


if __name__ == "__main__":
    from bench.stats import print_table

    print_table(photo_figures(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "data" / "photo"))
