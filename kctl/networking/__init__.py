"""networking"""
