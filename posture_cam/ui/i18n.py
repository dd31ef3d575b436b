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
    "calibration_none": (
        "(none — angles only, distances in % of height)",
        "(geen — alleen hoeken, afstanden in % van de lengte)",
    ),
    "calibration_note": (
        "Print the board and the scale marker first: posture-cam calibration target "
        "(see calibration/README.md). The same steps also run in a terminal: "
        "posture-cam calibrate --help.",
        "Print eerst het bord en de schaalmarker: posture-cam calibration target "
        "(zie calibration/README.md). Dezelfde stappen werken ook in een terminal: "
        "posture-cam calibrate --help.",
    ),
    "no_board": ("no board in view", "geen bord in beeld"),
    "no_board_hint": (
        "no board in view: hang the printed board level and fully visible",
        "geen bord in beeld: hang het geprinte bord waterpas en volledig zichtbaar",
    ),
    "no_frame": ("no camera image", "geen camerabeeld"),
    "level_ok": ("camera level: {roll}° ✓", "camera waterpas: {roll}° ✓"),
    "level_corrected": (
        "camera tilted {roll}° (corrected by the profile) ✓",
        "camera {roll}° gekanteld (gecorrigeerd door het profiel) ✓",
    ),
    "level_tilted": (
        "camera tilted {roll}°: calibrate level",
        "camera {roll}° gekanteld: kalibreer de waterpas",
    ),
    "cw_title": ("Calibration wizard", "Kalibratie-assistent"),
    "cw_back": ("< Back", "< Vorige"),
    "cw_next": ("Next >", "Volgende >"),
    "cw_finish": ("Finish", "Voltooien"),
    "cw_cancel": ("Cancel", "Annuleren"),
    "cw_profile_title": ("Profile", "Profiel"),
    "cw_profile_sub": (
        "One profile per camera set-up. Choose a profile or type a new name.",
        "Eén profiel per camera-opstelling. Kies een profiel of typ een nieuwe naam.",
    ),
    "cw_profile": ("Profile:", "Profiel:"),
    "cw_placeholder": ("e.g. clinic", "bijv. praktijk"),
    "cw_camera": ("Camera:", "Camera:"),
    "cw_active": ("Active in the live view:", "Actief in het live beeld:"),
    "cw_turn_off": ("Turn calibration off", "Kalibratie uitzetten"),
    "cw_invalid_name": (
        "Use 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit.",
        "Gebruik 1-64 letters, cijfers, '_', '-' of '.', beginnend met een letter of cijfer.",
    ),
    "cw_new_profile": (
        "new profile: nothing calibrated yet",
        "nieuw profiel: nog niets gekalibreerd",
    ),
    "cw_sum_level": ("Level", "Waterpas"),
    "cw_sum_scale": ("Scale", "Schaal"),
    "cw_sum_lens": ("Lens", "Lens"),
    "cw_roll_value": ("camera roll {value}°", "camerakanteling {value}°"),
    "cw_scale_value": ("{value} cm per pixel", "{value} cm per pixel"),
    "cw_lens_value": ("reprojection error {value} px", "herprojectiefout {value} px"),
    "cw_missing": ("not calibrated", "niet gekalibreerd"),
    "cw_sum_size": ("Calibrated at {w}×{h} pixels", "Gekalibreerd bij {w}×{h} pixels"),
    "cw_lens_title": ("Lens (optional)", "Lens (optioneel)"),
    "cw_lens_sub": (
        "For wide-angle webcams; do it before level and scale, which then use it. Hold the "
        "board at different places (centre, corners, edges), tilted, and capture a view "
        "each time: at least 5, better 10-20. Press Next to skip.",
        "Voor groothoekwebcams; doe dit vóór waterpas en schaal, die het dan gebruiken. "
        "Houd het bord op verschillende plekken (midden, hoeken, randen), gekanteld, en leg "
        "telkens een beeld vast: minstens 5, liefst 10-20. Druk op Volgende om over te slaan.",
    ),
    "cw_capture": ("Capture view", "Beeld vastleggen"),
    "cw_clear_views": ("Clear views", "Beelden wissen"),
    "cw_calibrate": ("Calibrate", "Kalibreren"),
    "cw_views": ("{n} views captured (need {need})", "{n} beelden vastgelegd (minstens {need})"),
    "cw_view_captured": (
        "view {n} captured ({corners} corners)",
        "beeld {n} vastgelegd ({corners} hoeken)",
    ),
    "cw_view_few": (
        "only {corners} board corners in view (need {need}): show the whole board",
        "maar {corners} hoeken van het bord in beeld (minstens {need}): toon het hele bord",
    ),
    "cw_view_similar": (
        "too much like view {n}: move or tilt the board",
        "te veel als beeld {n}: verplaats of kantel het bord",
    ),
    "cw_calibrating": ("Calibrating… (a few seconds)", "Bezig met kalibreren… (enkele seconden)"),
    "cw_level_title": ("Level", "Waterpas"),
    "cw_level_sub": (
        "Hang the printed board flat at the patient's position, its rows level (check with "
        "a spirit level).",
        "Hang het geprinte bord vlak op de plek van de patiënt, met de rijen waterpas "
        "(controleer met een waterpas).",
    ),
    "cw_roll_level": (
        "camera level: {roll}°, {corners} corners ✓",
        "camera waterpas: {roll}°, {corners} hoeken ✓",
    ),
    "cw_roll_tilted": (
        "camera tilted {roll}°, {corners} corners",
        "camera {roll}° gekanteld, {corners} hoeken",
    ),
    "cw_use_level": ("Use this level", "Deze waterpas gebruiken"),
    "cw_points_hint": (
        "Or click two points on a true vertical (plumb line, door edge checked with a "
        "spirit level):",
        "Of klik twee punten op een echte verticaal (schietlood, met een waterpas "
        "gecontroleerde deurpost):",
    ),
    "cw_points_one": ("click the second point", "klik het tweede punt"),
    "cw_points_roll": (
        "two points: camera tilted {roll}° (±{res}° per pixel of click error)",
        "twee punten: camera {roll}° gekanteld (±{res}° per pixel klikfout)",
    ),
    "cw_use_points": ("Use these points", "Deze punten gebruiken"),
    "cw_clear_points": ("Clear points", "Punten wissen"),
    "cw_scale_title": ("Scale", "Schaal"),
    "cw_scale_sub": (
        "The scale holds only where the patient stands, facing the camera.",
        "De schaal geldt alleen waar de patiënt staat, met het gezicht naar de camera.",
    ),
    "cw_marker": ("ArUco marker of known size", "ArUco-marker van bekende grootte"),
    "cw_height": ("Patient height (approximate, ±3 %)", "Lengte van de patiënt (ongeveer, ±3 %)"),
    "cw_scale_reading": ("{value} cm per pixel: {detail}", "{value} cm per pixel: {detail}"),
    "cw_no_person": (
        "no person in view: the patient must stand fully in view",
        "geen persoon in beeld: de patiënt moet volledig in beeld staan",
    ),
    "cw_use_scale": ("Use this scale", "Deze schaal gebruiken"),
    "cw_saved": ("Saved: {message}", "Bewaard: {message}"),
    "cw_done_title": ("Done", "Klaar"),
    "cw_done_sub": ("Profile '{name}'", "Profiel '{name}'"),
    "cw_apply": ("Apply to the live view", "Toepassen op het live beeld"),
    "cw_applied": (
        "The live view now uses profile '{name}'.",
        "Het live beeld gebruikt nu profiel '{name}'.",
    ),
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
