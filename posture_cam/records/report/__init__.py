"""The PDF report for the patient file (matplotlib, no Qt): :func:`write_report`."""

from posture_cam.records.report.pdf import ReportOptions, write_report

__all__ = ["ReportOptions", "write_report"]
