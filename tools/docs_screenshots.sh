#!/usr/bin/env bash
# Retake the README / docs screenshots under Xvfb, in English and Dutch, skeleton-only
# (no camera pixels of the person on any picture in the repository).
#
#   tools/docs_screenshots.sh [DISPLAY_NUMBER]
#
# Needs Xvfb and imagemagick (`import`), the shared media beside the checkout (or
# POSTURE_CAM_TEST_MEDIA) and a model (POSTURE_CAM_MODEL, else ../shared/models/...).
# Writes docs/images/{app_front_en,app_webcam_nl,home_live_en,home_live_nl,
# home_result_en,home_result_nl}.png. Every run uses a fresh data dir.
set -euo pipefail
cd "$(dirname "$0")/.."
display=":${1:-21}"
media="${POSTURE_CAM_TEST_MEDIA:-$(cd .. && pwd)/shared/media}"
export POSTURE_CAM_MODEL="${POSTURE_CAM_MODEL:-$(cd .. && pwd)/shared/models/pose_landmarker_full.task}"
python="${PYTHON:-.venv/bin/python}"
front="$media/videos/video_sports2d_demo5_man_frontal_lateral_raises_18s.mp4"
webcam="$media/videos/video_gesture_woman_head_shoulders_webcamlike_7s.mp4"
for f in "$front" "$webcam" "$POSTURE_CAM_MODEL"; do
  [ -e "$f" ] || { echo "docs_screenshots: missing $f" >&2; exit 2; }
done

Xvfb "$display" -screen 0 1400x820x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
export DISPLAY="$display" QT_QPA_PLATFORM=xcb

shot() { # NAME SECONDS GEOMETRY COMMAND... (GEOMETRY: the window's part of the screen)
  local name=$1 wait_s=$2 geometry=$3
  shift 3
  POSTURE_CAM_DATA_DIR="$(mktemp -d)" "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep "$wait_s"
  import -window root -crop "$geometry" +repage "docs/images/$name.png"
  kill -INT "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "docs/images/$name.png"
}

shot app_front_en 40 1400x820+0+0 "$python" -m posture_cam app --lang en --skeleton-only --source "$front"
shot app_webcam_nl 40 1400x820+0+0 "$python" -m posture_cam app --lang nl --skeleton-only --source "$webcam"
shot home_live_en 6 1100x800+0+0 "$python" -m posture_cam home --lang en --skeleton-only --source "$webcam" --export-dir "$(mktemp -d)"
shot home_live_nl 6 1100x800+0+0 "$python" -m posture_cam home --lang nl --skeleton-only --source "$webcam" --export-dir "$(mktemp -d)"
shot home_result_en 60 1100x800+0+0 "$python" -m posture_cam home --lang en --skeleton-only --source "$webcam" --export-dir "$(mktemp -d)"
shot home_result_nl 60 1100x800+0+0 "$python" -m posture_cam home --lang nl --skeleton-only --source "$webcam" --export-dir "$(mktemp -d)"
