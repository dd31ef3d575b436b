"""English and Dutch UI strings (a small table; metric labels come from the catalogue).

``tr("snapshot", "nl")`` -> ``"Momentopname"``. A missing key falls back to the key
itself so a typo shows up on screen instead of crashing.
"""

from __future__ import annotations

# key: (English, Dutch)
TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("posture_cam — posture analysis", "posture_cam — houdingsanalyse"),
    "menu_file": ("&File", "&Bestand"),
    "menu_view": ("&View", "&Beeld"),
    "menu_settings": ("&Settings", "&Instellingen"),
    "menu_help": ("&Help", "&Help"),
    "open_file": ("Open video or photo…", "Video of foto openen…"),
    "choose_camera": ("Choose camera…", "Camera kiezen…"),
    "camera_index": ("Camera number (0 = default):", "Cameranummer (0 = standaard):"),
    "retry_camera": ("Retry camera", "Camera opnieuw proberen"),
    "snapshot": ("Snapshot", "Momentopname"),
    "snapshot_tip": (
        "Countdown, then an averaged capture; saves PNG + JSON (Space)",
        "Aftellen, dan een gemiddelde opname; bewaart PNG + JSON (spatie)",
    ),
    "cancel_snapshot": ("Cancel snapshot", "Momentopname annuleren"),
    "open_folder": ("Open folder", "Map openen"),
    "quit": ("Quit", "Afsluiten"),
    "mirror": ("Mirror", "Spiegelen"),
    "fullscreen": ("Full screen", "Volledig scherm"),
    "skeleton_only_display": (
        "Skeleton only (hide camera image)",
        "Alleen skelet (camerabeeld verbergen)",
    ),
    "language": ("Language", "Taal"),
    "export_privacy": ("Snapshot privacy", "Privacy van momentopnamen"),
    "privacy_none": ("Full image", "Volledig beeld"),
    "privacy_blur_face": ("Blur face", "Gezicht vervagen"),
    "privacy_skeleton_only": (
        "Skeleton only (no camera pixels)",
        "Alleen skelet (geen camerabeeld)",
    ),
    "model_variant": ("Pose model", "Posemodel"),
    "data_folder": ("Snapshot folder…", "Map voor momentopnamen…"),
    "data_folder_default": ("Use default snapshot folder", "Standaardmap voor momentopnamen"),
    "calibration": ("Calibration…", "Kalibratie…"),
    "shortcuts": ("Keyboard shortcuts", "Sneltoetsen"),
    "about": ("About", "Over"),
    "view": ("View", "Aanzicht"),
    "view_auto": ("Auto", "Automatisch"),
    "view_front": ("Front", "Voorkant"),
    "view_back": ("Back", "Achterkant"),
    "view_left": ("Left side", "Linkerzijde"),
    "view_right": ("Right side", "Rechterzijde"),
    "view_unknown": ("unknown", "onbekend"),
    "detected": ("detected", "herkend"),
    "forced": ("set by hand", "handmatig"),
    "metrics": ("Measurements", "Metingen"),
    "metric": ("Measurement", "Meting"),
    "value": ("Value", "Waarde"),
    "normal_band": ("Normal", "Normaal"),
    "status": ("Status", "Status"),
    "status_normal": ("normal", "normaal"),
    "status_borderline": ("borderline", "grensgeval"),
    "status_outside": ("outside", "afwijkend"),
    "status_not_measurable": ("not measurable", "niet meetbaar"),
    "no_metrics": (
        "No measurements yet: stand fully in view, facing the camera or side-on.",
        "Nog geen metingen: ga volledig in beeld staan, met gezicht of zijkant naar de camera.",
    ),
    "quality": ("Quality checks", "Kwaliteitscontrole"),
    "quality_none": ("No checks yet", "Nog geen controles"),
    "quality_ok": ("ready for a clinical capture", "klaar voor een klinische opname"),
    "quality_not_ok": ("not ready", "nog niet klaar"),
    "no_person": ("No person found", "Geen persoon gevonden"),
    "people": ("people", "personen"),
    "fps": ("fps", "fps"),
    "latency": ("latency", "vertraging"),
    "inference": ("model", "model"),
    "dropped": ("dropped", "overgeslagen"),
    "starting": ("Starting {source}…", "{source} wordt gestart…"),
    "preparing_model": (
        "First start: preparing the pose model (a few seconds).",
        "Eerste start: het posemodel wordt klaargezet (enkele seconden).",
    ),
    "empty_title": ("No camera image", "Geen camerabeeld"),
    "empty_body": (
        "Connect a camera, choose another one, or open a video or photo.",
        "Sluit een camera aan, kies een andere of open een video of foto.",
    ),
    "camera_lost_title": ("The camera stopped", "De camera is gestopt"),
    "input_title": ("Cannot open this source", "Deze bron kan niet worden geopend"),
    "model_title": ("No pose model", "Geen posemodel"),
    "bug_title": ("Something went wrong", "Er ging iets mis"),
    "video_ended": ("The video has ended.", "De video is afgelopen."),
    "play_again": ("Play again", "Opnieuw afspelen"),
    "countdown": ("Snapshot in {n}…", "Momentopname over {n}…"),
    "holding": ("Hold still… {n}", "Stil blijven staan… {n}"),
    "saved": ("Snapshot saved in {folder}", "Momentopname bewaard in {folder}"),
    "snapshot_failed": ("Snapshot not saved: {reason}", "Momentopname niet bewaard: {reason}"),
    "snapshot_no_result": ("no live image yet", "nog geen live beeld"),
    "norm_source": ("Norm", "Norm"),
    "proxy": ("Proxy", "Benadering"),
    "screening": ("Screening aid, not a diagnosis.", "Hulpmiddel voor screening, geen diagnose."),
    "calibration_title": ("Calibration", "Kalibratie"),
    "calibration_active": ("Active profile:", "Actief profiel:"),
    "calibration_none": (
        "(none — angles only, distances in % of height)",
        "(geen — alleen hoeken, afstanden in % van de lengte)",
    ),
    "calibration_level": ("Camera level (live):", "Camera waterpas (live):"),
    "calibration_help": (
        "Calibrate in three steps with the printed board (see calibration/):\n"
        "1. Level: mount the board level (spirit level) where the patient stands;\n"
        "   the live roll below should read about 0°.\n"
        "2. Scale: hold the board flat at the patient's plane.\n"
        "3. Lens: show the board in several positions.\n\n"
        "Run in a terminal:  posture-cam calibrate --help\n"
        "then pick the saved profile here.",
        "Kalibreer in drie stappen met het geprinte bord (zie calibration/):\n"
        "1. Waterpas: hang het bord waterpas waar de patiënt staat;\n"
        "   de live kanteling hieronder moet ongeveer 0° zijn.\n"
        "2. Schaal: houd het bord vlak op de plek van de patiënt.\n"
        "3. Lens: toon het bord in verschillende posities.\n\n"
        "Voer in een terminal uit:  posture-cam calibrate --help\n"
        "en kies daarna hier het bewaarde profiel.",
    ),
    "no_board": ("no board in view", "geen bord in beeld"),
    "close": ("Close", "Sluiten"),
    "restart_needed": ("Restarting with the new model…", "Herstarten met het nieuwe model…"),
}

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Space", "snapshot"),
    ("M", "mirror"),
    ("F", "fullscreen"),
    ("Ctrl+O", "open_file"),
    ("1", "view_auto"),
    ("2", "view_front"),
    ("3", "view_back"),
    ("4", "view_left"),
    ("5", "view_right"),
    ("F1", "shortcuts"),
    ("Ctrl+Q", "quit"),
)


def tr(key: str, language: str = "en", **fmt: object) -> str:
    """Translate ``key`` into ``language`` (``en``/``nl``) and fill ``{placeholders}``."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    text = pair[1] if language == "nl" else pair[0]
    return text.format(**fmt) if fmt else text
